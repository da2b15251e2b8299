import { KeyOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const secretRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/secrets',
    name: 'secrets-list',
    component: () => import('../../views/secrets/list/index.vue'),
    meta: { titleKey: 'menu.secrets', permission: 'secret:read', menu: { icon: KeyOutline, group: 'admin', order: 35 } },
  },
];
