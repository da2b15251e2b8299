import { ShieldCheckmarkOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const roleRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/roles',
    name: 'roles-list',
    component: () => import('../../views/roles/list/index.vue'),
    meta: {
      titleKey: 'menu.roles',
      // One tab each: roles need role:read, grants grant:read.
      permission: ['role:read', 'grant:read'],
      menu: { icon: ShieldCheckmarkOutline, group: 'admin', order: 30 },
    },
  },
];
