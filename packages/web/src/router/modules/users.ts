import { PersonOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const userRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/users',
    name: 'users-list',
    component: () => import('../../views/users/list/index.vue'),
    meta: { titleKey: 'menu.users', permission: 'user:read', menu: { icon: PersonOutline, group: 'admin', order: 10 } },
  },
];
