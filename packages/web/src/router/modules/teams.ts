import { PeopleOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const teamRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/teams',
    name: 'teams-list',
    component: () => import('../../views/teams/list/index.vue'),
    meta: { titleKey: 'menu.teams', permission: 'team:read', menu: { icon: PeopleOutline, group: 'admin', order: 20 } },
  },
];
