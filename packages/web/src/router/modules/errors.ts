import type { RouteRecordRaw } from 'vue-router';

/** Shown inside the layout, so the menu stays at hand. */
export const errorRoutes: RouteRecordRaw[] = [
  {
    path: 'forbidden',
    name: 'forbidden',
    component: () => import('../../views/errors/forbidden/index.vue'),
    meta: { titleKey: 'errors.forbiddenTitle' },
  },
  {
    path: ':pathMatch(.*)*',
    name: 'not-found',
    component: () => import('../../views/errors/not-found/index.vue'),
    meta: { titleKey: 'errors.notFoundTitle' },
  },
];
