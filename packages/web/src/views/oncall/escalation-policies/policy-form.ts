import { EscalationLevel, EscalationPolicyBody, type EscalationPolicyView, type EscalationTarget } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { rowsRule } from '../../cmdb/shared/rows';
import { rowFieldOf } from '../shared/nested-fields';

export interface TargetRow {
  type: EscalationTarget['type'];
  id: string | null;
}

/** One level while edited; `uid` keeps a card's identity while levels move. */
export interface LevelModel {
  uid: string;
  delayMinutes: number | null;
  targets: TargetRow[];
}

export interface PolicyModel {
  name: string;
  description: string;
  repeat: number | null;
  levels: LevelModel[];
}

let counter = 0;
export const levelModel = (l?: EscalationLevel): LevelModel => ({
  uid: `level${++counter}`,
  delayMinutes: l?.delayMinutes ?? 10,
  targets: l ? l.targets.map((x) => ({ ...x })) : [{ type: 'schedule', id: null }],
});

export const policyModel = (p: EscalationPolicyView | null): PolicyModel => ({
  name: p?.name ?? '',
  description: p?.description ?? '',
  repeat: p?.repeat ?? 0,
  levels: p ? p.levels.map(levelModel) : [levelModel()],
});

export const policyBody = (m: PolicyModel): EscalationPolicyBody => ({
  name: m.name.trim(),
  description: m.description.trim(),
  repeat: m.repeat ?? 0,
  levels: m.levels.map((l) => ({ delayMinutes: l.delayMinutes ?? 0, targets: l.targets.flatMap((x) => (x.id ? [{ type: x.type, id: x.id }] : [])) })),
});

/** `body.levels.1.targets.0.id` → `levels.1.targets`: where the server's issues show. */
export const policyFieldOf = (path: string): string => rowFieldOf(path);

export function levelRules(): Record<'delayMinutes' | 'targets', FormItemRule> {
  return {
    delayMinutes: schemaRule(EscalationLevel.shape.delayMinutes, { required: true }),
    targets: rowsRule<TargetRow>((rows) => {
      const { t } = i18n.global;
      if (rows.some((r) => !r.id)) return t('oncall.policies.targetMissing');
      return rows.length === 0 ? t('oncall.policies.noTargets') : null;
    }),
  };
}

export function policyRules(): FormRules {
  const s = EscalationPolicyBody.shape;
  return { name: schemaRule(s.name, { required: true }), repeat: schemaRule(s.repeat, { required: true }) };
}
