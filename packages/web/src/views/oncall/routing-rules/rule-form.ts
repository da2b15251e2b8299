import { RoutingRuleBody, SelfHeal, type RoutingRuleView, type Severity } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { requiredRule, schemaRule } from '../../../platform/forms/rules';
import { rowsRule } from '../../cmdb/shared/rows';
import { matcherOf, matcherRow, matchersProblem, type MatcherRow } from '../shared/label-matchers';
import { pathParts } from '../shared/nested-fields';
import { timeWindowOf, windowRow, windowsProblem, type WindowRow } from '../shared/time-window';

/** A routing rule while edited: the match's parts and the self-healing hook as fields of their own. */
export interface RuleModel {
  name: string;
  enabled: boolean;
  continue: boolean;
  escalationPolicyId: string | null;
  labels: MatcherRow[];
  severities: Severity[];
  nodeId: string | null;
  timeWindows: WindowRow[];
  selfHealOn: boolean;
  templateId: string | null;
  maxPerHostPerHour: number | null;
}

export const ruleModel = (r: RoutingRuleView | null): RuleModel => ({
  name: r?.name ?? '',
  enabled: r?.enabled ?? true,
  continue: r?.continue ?? false,
  escalationPolicyId: r?.escalationPolicyId ?? null,
  labels: (r?.match.labels ?? []).map(matcherRow),
  severities: [...(r?.match.severities ?? [])],
  nodeId: r?.match.nodeId ?? null,
  timeWindows: (r?.match.timeWindows ?? []).map((w) => windowRow(w)),
  selfHealOn: Boolean(r?.selfHeal),
  templateId: r?.selfHeal?.templateId ?? null,
  maxPerHostPerHour: r?.selfHeal?.maxPerHostPerHour ?? 1,
});

/** Without `order`: a new rule goes last, an edited one keeps its place. */
export const ruleBody = (m: RuleModel): RoutingRuleBody => ({
  name: m.name.trim(),
  enabled: m.enabled,
  continue: m.continue,
  escalationPolicyId: m.escalationPolicyId ?? '',
  match: { labels: m.labels.map(matcherOf), severities: m.severities, nodeId: m.nodeId, timeWindows: m.timeWindows.map(timeWindowOf) },
  selfHeal: m.selfHealOn && m.templateId ? { templateId: m.templateId, maxPerHostPerHour: m.maxPerHostPerHour ?? 1 } : null,
});

/** The same rule as the API takes it, for a change of one field from the list (its switch). */
export const bodyOfView = (r: RoutingRuleView, change: Partial<RoutingRuleBody> = {}): RoutingRuleBody => ({
  name: r.name,
  enabled: r.enabled,
  continue: r.continue,
  escalationPolicyId: r.escalationPolicyId,
  match: r.match,
  selfHeal: r.selfHeal,
  ...change,
});

/** `body.match.labels.0.value` → `labels`, `body.selfHeal.templateId` → `templateId`. */
export function ruleFieldOf(path: string): string {
  const [top, inner] = pathParts(path);
  return (top === 'match' || top === 'selfHeal') && inner ? inner : (top ?? path);
}

/** The self-healing fields count only while it is switched on. */
export function ruleRules(model: RuleModel): FormRules {
  const none: FormItemRule = {};
  return {
    name: schemaRule(RoutingRuleBody.shape.name, { required: true }),
    escalationPolicyId: requiredRule(),
    labels: rowsRule<MatcherRow>(matchersProblem),
    timeWindows: rowsRule<WindowRow>((rows) => windowsProblem(rows, true)),
    templateId: model.selfHealOn ? requiredRule() : none,
    maxPerHostPerHour: model.selfHealOn ? schemaRule(SelfHeal.shape.maxPerHostPerHour, { required: true }) : none,
  };
}
