import type { RouteLocationNormalizedLoaded } from 'vue-router';
import { i18n } from '../platform/i18n';

/** "Users · Opsline", in the current language. */
export function setDocumentTitle(route: RouteLocationNormalizedLoaded): void {
  const title = route.meta.titleKey ? i18n.global.t(route.meta.titleKey) : '';
  document.title = title ? `${title} · Opsline` : 'Opsline';
}
