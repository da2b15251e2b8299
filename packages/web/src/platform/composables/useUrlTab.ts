import { computed, h, type VNode } from 'vue';
import { useRoute, useRouter } from 'vue-router';

/**
 * A page's tab kept in the URL (`?tab=grants`), so it can be linked and
 * survives a reload; only the tabs `visible()` names (what this user may
 * see) can be chosen, the first of them by default.
 */
export function useUrlTab<T extends string>(visible: () => readonly T[], fallback: T) {
  const route = useRoute();
  const router = useRouter();
  return computed<T>({
    get: () => {
      const tabs = visible();
      return tabs.find((tab) => tab === route.query.tab) ?? tabs[0] ?? fallback;
    },
    set: (value) => void router.replace({ query: { ...route.query, tab: value } }),
  });
}

/** A tab's label as a render function, to carry a test id (`tab-<name>`). */
export const tabLabel = (name: string, text: () => string) => (): VNode => h('span', { 'data-testid': `tab-${name}` }, text());
