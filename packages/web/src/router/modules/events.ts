import { PulseOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const eventRoutes: RouteRecordRaw[] = [
  {
    path: 'events',
    name: 'events-timeline',
    component: () => import('../../views/events/timeline/index.vue'),
    meta: { titleKey: 'menu.timeline', permission: 'event:read', menu: { icon: PulseOutline, order: 10 } },
  },
];
