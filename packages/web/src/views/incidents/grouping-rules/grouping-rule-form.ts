import { GroupingRuleBody, type GroupingRuleView } from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { rowsRule } from '../../cmdb/shared/rows';

/** How a matcher compares, as Alertmanager writes it: equal, not equal, matches, does not match. */
export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];

export interface MatcherRow {
  name: string;
  op: MatchOp;
  value: string;
}

type Matcher = GroupingRuleBody['match'][number];

const opOf = (m: Matcher): MatchOp => (m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=');

export const matcherRow = (m?: Matcher): MatcherRow => ({ name: m?.name ?? '', op: m ? opOf(m) : '=', value: m?.value ?? '' });

const matcherOf = (r: MatcherRow): Matcher => ({ name: r.name.trim(), value: r.value, isRegex: r.op.endsWith('~'), isEqual: !r.op.startsWith('!') });

/** `alertname=~"disk.*"`: a matcher as one reads it. */
export const matcherText = (m: Matcher): string => `${m.name}${opOf(m)}"${m.value}"`;

export interface GroupingRuleModel {
  name: string;
  match: MatcherRow[];
  groupBy: string[];
  windowMinutes: number | null;
  order: number | null;
  enabled: boolean;
}

export const groupingRuleModel = (rule: GroupingRuleView | null): GroupingRuleModel => ({
  name: rule?.name ?? '',
  match: (rule?.match ?? []).map(matcherRow),
  groupBy: [...(rule?.groupBy ?? [])],
  windowMinutes: rule?.windowMinutes ?? 30,
  order: rule?.order ?? 100,
  enabled: rule?.enabled ?? true,
});

/** The first problem with the matchers, in the console's language; null when there is none. */
export function matchersProblem(rows: readonly MatcherRow[]): string | null {
  const { t } = i18n.global;
  for (const row of rows) {
    if (!row.name.trim()) return t('incidents.groupingRules.matcherNameMissing');
    if (!row.op.endsWith('~')) continue;
    try {
      new RegExp(row.value);
    } catch {
      return t('incidents.groupingRules.matcherRegexInvalid', { name: row.name.trim() });
    }
  }
  return null;
}

export function groupingRuleRules(): FormRules {
  const s = GroupingRuleBody.shape;
  return {
    name: schemaRule(s.name, { required: true }),
    match: rowsRule<MatcherRow>(matchersProblem),
    groupBy: schemaRule(s.groupBy, { required: true }),
    windowMinutes: schemaRule(s.windowMinutes, { required: true }),
    order: schemaRule(s.order, { required: true }),
  };
}

export const groupingRuleBody = (m: GroupingRuleModel): GroupingRuleBody => ({
  name: m.name.trim(),
  match: m.match.map(matcherOf),
  groupBy: m.groupBy.map((l) => l.trim()).filter(Boolean),
  windowMinutes: m.windowMinutes ?? 0,
  order: m.order ?? 0,
  enabled: m.enabled,
});
