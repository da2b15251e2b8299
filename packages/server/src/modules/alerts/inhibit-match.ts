import type { InhibitScope, LabelMatcher } from '@opsline/contracts';
import { matchesAll } from './silence-match.js';

/** An enabled inhibition rule as ingest applies it. */
export interface InhibitRule {
  id: string;
  source: LabelMatcher[];
  target: LabelMatcher[];
  scope: InhibitScope;
  equal: string[];
}

/** A firing alert that may inhibit others: stored (`id`), or arriving in the same delivery (`id` null, by fingerprint). */
export interface InhibitSource {
  id: string | null;
  fingerprint: string;
  labels: Record<string, string>;
  hostId: string | null;
  nodeId: string | null;
}

/**
 * The firing alert that inhibits `alert`, if any: a rule whose target it
 * matches (and whose source it does not: a source is never inhibited by its
 * own rule), and a source alert of that rule in the same scope (host or tree
 * node) with equal values of the rule's `equal` labels. Never itself.
 */
export function inhibitorFor(rules: InhibitRule[], alert: Omit<InhibitSource, 'id'>, sources: InhibitSource[]): InhibitSource | null {
  for (const rule of rules) {
    const scope = rule.scope === 'host' ? alert.hostId : alert.nodeId;
    if (!scope || !matchesAll(rule.target, alert.labels) || matchesAll(rule.source, alert.labels)) continue;
    const found = sources.find((s) =>
      s.fingerprint !== alert.fingerprint
      && (rule.scope === 'host' ? s.hostId : s.nodeId) === scope
      && rule.equal.every((name) => (s.labels[name] ?? '') === (alert.labels[name] ?? ''))
      && matchesAll(rule.source, s.labels));
    if (found) return found;
  }
  return null;
}
