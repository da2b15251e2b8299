import type { GroupingRuleBody } from '@opsline/contracts';

/** An alert as incidents see it (from the alerts module's batches, or a test). */
export interface IncomingAlert {
  alertId: string;
  /** `new`: a new alert row (a first firing); `repeat`: it fired again; `resolved`: it ended. */
  change: 'new' | 'repeat' | 'resolved';
  title: string;
  severity: string;
  labels: Record<string, string>;
  nodeId: string | null;
  hostId: string | null;
  integrationId: string | null;
  /** A silence held it: stored, but it opens and pages nothing. */
  silenced: boolean;
  /** Alertmanager's own group key: alerts it grouped stay one incident. */
  groupKey?: string | null;
}

export type Matcher = GroupingRuleBody['match'][number];
interface Rule {
  id: string;
  match: Matcher[];
  groupBy: string[];
  windowMinutes: number;
}

/** Alertmanager-style matching: `=`, `!=`, `=~`, `!~` (regexes anchored). An unset label is the empty string. */
export function matchesAll(labels: Record<string, string>, matchers: readonly Matcher[]): boolean {
  return matchers.every((m) => {
    const v = labels[m.name] ?? '';
    let hit: boolean;
    if (m.isRegex) {
      try {
        hit = new RegExp(`^(?:${m.value})$`).test(v);
      } catch {
        hit = false;
      }
    } else hit = v === m.value;
    return m.isEqual ? hit : !hit;
  });
}

/**
 * The group an alert joins: Alertmanager's group when it sent one; else the
 * first matching grouping rule's labels; else the defaults — always within the
 * alert's node. Answers the key and the window in minutes.
 */
export function groupOf(alert: IncomingAlert, rules: readonly Rule[], defaults: { groupBy: string[]; windowMinutes: number }): { key: string; windowMinutes: number } {
  if (alert.groupKey) return { key: `am:${alert.integrationId ?? '-'}:${alert.groupKey}`, windowMinutes: defaults.windowMinutes };
  const rule = rules.find((r) => matchesAll(alert.labels, r.match));
  const by = rule?.groupBy ?? defaults.groupBy;
  const values = by.map((l) => `${l}=${alert.labels[l] ?? ''}`).join(',');
  return { key: `${rule ? `rule:${rule.id}` : 'default'}:${alert.nodeId ?? '-'}:${values}`, windowMinutes: rule?.windowMinutes ?? defaults.windowMinutes };
}

/**
 * Storm protection: counts new alerts per integration and per node over the
 * last minute (on this server); over the limit, an alert joins the storm of
 * the key that overflowed instead of opening its own incident.
 */
/** The sources a storm is counted by: the alert's integration and its node. */
export function stormSources(alert: Pick<IncomingAlert, 'integrationId' | 'nodeId'>): string[] {
  return [alert.integrationId ? `integration:${alert.integrationId}` : null, alert.nodeId ? `node:${alert.nodeId}` : null].filter((k) => k !== null);
}

export function createStormMeter() {
  const seen = new Map<string, number[]>();
  return {
    /** Records one new alert; answers the storm key it belongs to, or null. */
    hit(alert: IncomingAlert, nowMs: number, limit: number): string | null {
      let storm: string | null = null;
      for (const key of stormSources(alert)) {
        const times = (seen.get(key) ?? []).filter((t) => t > nowMs - 60_000);
        times.push(nowMs);
        seen.set(key, times);
        if (times.length > limit && storm === null) storm = key;
      }
      return storm;
    },
  };
}
