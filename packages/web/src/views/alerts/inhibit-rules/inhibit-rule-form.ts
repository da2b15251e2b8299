import { InhibitRuleBody, type InhibitRuleView, type InhibitScope } from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { requiredRule, schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { rowsRule } from '../../cmdb/shared/rows';
import { matcherRow, matchersProblem, type MatcherRow } from '../../incidents/grouping-rules/grouping-rule-form';

/** An inhibition rule while editing: the matchers as rows, the rest as the body has them. */
export interface InhibitRuleModel {
  name: string;
  scope: InhibitScope;
  source: MatcherRow[];
  target: MatcherRow[];
  equal: string[];
  enabled: boolean;
}

/** An edited rule's values, else one empty source matcher, any target, on the same host. */
export const inhibitRuleModel = (r: InhibitRuleView | null): InhibitRuleModel => ({
  name: r?.name ?? '',
  scope: r?.scope ?? 'host',
  source: r ? r.source.map(matcherRow) : [matcherRow()],
  target: (r?.target ?? []).map(matcherRow),
  equal: [...(r?.equal ?? [])],
  enabled: r?.enabled ?? true,
});

/** The dependency (依赖): while a host is down, the rest of that host's alerts page nobody; its own alert does. */
export const dependencyPreset = (): Pick<InhibitRuleModel, 'name' | 'scope' | 'source' | 'target'> => ({
  name: i18n.global.t('alerts.inhibitRules.presetName'),
  scope: 'host',
  source: [{ name: 'alertname', op: '=', value: 'HostDown' }],
  target: [],
});

function sourceCheck(rows: MatcherRow[]): string | null {
  return rows.length === 0 ? i18n.global.t('alerts.inhibitRules.sourceRequired') : matchersProblem(rows);
}

export function inhibitRuleRules(): FormRules {
  const s = InhibitRuleBody.shape;
  return {
    name: schemaRule(s.name, { required: true }),
    scope: requiredRule(),
    source: { ...rowsRule<MatcherRow>(sourceCheck), required: true },
    target: rowsRule<MatcherRow>(matchersProblem),
    equal: schemaRule(s.equal),
  };
}

const matcherOf = (r: MatcherRow) => ({ name: r.name.trim(), value: r.value, isRegex: r.op.endsWith('~'), isEqual: !r.op.startsWith('!') });

export const inhibitRuleBody = (m: InhibitRuleModel): InhibitRuleBody => ({
  name: m.name.trim(),
  source: m.source.map(matcherOf),
  target: m.target.map(matcherOf),
  scope: m.scope,
  equal: m.equal.map((l) => l.trim()).filter(Boolean),
  enabled: m.enabled,
});

/** A stored rule as the body that replaces it, switched on or off. */
export const inhibitRuleBodyOf = (r: InhibitRuleView, enabled = r.enabled): InhibitRuleBody => ({
  name: r.name,
  source: r.source,
  target: r.target,
  scope: r.scope,
  equal: r.equal,
  enabled,
});

export const inhibitScopeText = (scope: InhibitScope): string => i18n.global.t(`alerts.inhibitRules.scopes.${scope}`);
