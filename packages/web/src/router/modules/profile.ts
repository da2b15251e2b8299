import type { RouteRecordRaw } from 'vue-router';

export const profileRoutes: RouteRecordRaw[] = [
  {
    path: 'profile',
    name: 'profile',
    component: () => import('../../views/profile/settings/index.vue'),
    meta: { titleKey: 'profile.title' },
  },
];
