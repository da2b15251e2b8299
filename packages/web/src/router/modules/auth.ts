import type { RouteRecordRaw } from 'vue-router';

export const authRoutes: RouteRecordRaw[] = [
  {
    path: '/login',
    name: 'login',
    component: () => import('../../views/auth/login/index.vue'),
    meta: { public: true, titleKey: 'auth.signIn' },
  },
];
