import type { LocationQuery, LocationQueryRaw } from 'vue-router';
import { matcherRow, type MatcherRow } from '../../incidents/grouping-rules/grouping-rule-form';

/**
 * "Silence alerts like this one": the silences page opens its form with the
 * alert's labels as `=` matchers, carried in the URL (`?create=1&match=name=value…`).
 */
export const silencePrefillQuery = (labels: Record<string, string>): LocationQueryRaw => ({
  create: '1',
  match: Object.keys(labels)
    .sort()
    .map((name) => `${name}=${labels[name] ?? ''}`),
});

/** The matchers a URL asks the form to start with; null when it asks for no form. */
export function prefillOf(query: LocationQuery): MatcherRow[] | null {
  if (query.create !== '1') return null;
  const raw = Array.isArray(query.match) ? query.match : [query.match];
  return raw
    .filter((m): m is string => typeof m === 'string' && m.includes('='))
    .map((m) => {
      const at = m.indexOf('=');
      return matcherRow({ name: m.slice(0, at), value: m.slice(at + 1), isRegex: false, isEqual: true });
    });
}
