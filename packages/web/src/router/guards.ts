import type { Router, RouteLocationRaw } from 'vue-router';
import { onUnauthorized } from '../api/client';
import { useAuthStore } from '../platform/auth/store';
import { menuRoutes } from '../platform/layout/menu';
import { setDocumentTitle } from './title';

/** Only paths on this site may be a redirect target (no `//evil.example`). */
export function safeRedirect(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

/** The first page in the menu this user may open, else their profile. */
function landing(router: Router): RouteLocationRaw {
  const auth = useAuthStore();
  const first = menuRoutes(router).find((r) => auth.canOpen(r.meta));
  return first?.name ? { name: first.name } : { name: 'profile' };
}

export function installGuards(router: Router): void {
  router.beforeEach(async (to) => {
    const auth = useAuthStore();
    await auth.ensureLoaded();
    if (to.meta.public) {
      if (to.name === 'login' && auth.signedIn) return safeRedirect(to.query.redirect);
      return true;
    }
    if (!auth.signedIn) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } };
    if (!auth.canOpen(to.meta)) {
      if (to.redirectedFrom?.name === 'home') return landing(router);
      return { name: 'forbidden', query: { from: to.fullPath } };
    }
    return true;
  });

  router.afterEach((to) => setDocumentTitle(to));

  // A call answered 401 mid-session: back to the login page, then back here.
  onUnauthorized(() => {
    const auth = useAuthStore();
    auth.markExpired();
    const current = router.currentRoute.value;
    if (!current.meta.public) void router.push({ name: 'login', query: { redirect: current.fullPath } });
  });
}
