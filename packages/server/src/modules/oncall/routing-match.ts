import type { LabelMatcher, RoutingMatch, Severity } from '@opsline/contracts';
import { inTimeWindows } from './time-window.js';

/** What routing looks at of an alert. */
export interface RoutedAlert {
  labels: Record<string, string>;
  severity: Severity;
  nodeId: string | null;
}

/** Anchored like Alertmanager's matchers: the pattern must match the whole value. Compiled once per pattern. */
const patterns = new Map<string, RegExp>();
function wholly(pattern: string): RegExp {
  const cached = patterns.get(pattern);
  if (cached) return cached;
  if (patterns.size > 500) patterns.clear();
  const re = new RegExp(`^(?:${pattern})$`);
  patterns.set(pattern, re);
  return re;
}

const operator = (m: LabelMatcher): string => (m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=');

/** A missing label reads as "" (so `env!="prod"` holds for an alert without env). */
function labelHolds(m: LabelMatcher, labels: Record<string, string>): boolean {
  const value = labels[m.name] ?? '';
  const equal = m.isRegex ? wholly(m.value).test(value) : value === m.value;
  return equal === m.isEqual;
}

/**
 * Why a rule's conditions do not hold for the alert at `at`; null when they
 * all do. `ancestry` is the alert's node and every node above it.
 */
export function mismatch(match: RoutingMatch, alert: RoutedAlert, ancestry: readonly string[], at: Date): string | null {
  const failed = match.labels.find((m) => !labelHolds(m, alert.labels));
  if (failed) return `label ${failed.name}${operator(failed)}"${failed.value}" does not hold (the alert has "${alert.labels[failed.name] ?? ''}")`;
  if (match.severities.length && !match.severities.includes(alert.severity)) return `severity ${alert.severity} is not one of ${match.severities.join(', ')}`;
  if (match.nodeId && !ancestry.includes(match.nodeId)) return alert.nodeId ? 'the alert\'s node is not in the rule\'s subtree' : 'the alert has no node';
  if (!inTimeWindows(match.timeWindows, at)) return 'outside the rule\'s time windows';
  return null;
}
