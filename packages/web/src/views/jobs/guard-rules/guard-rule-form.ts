import { GuardRuleBody, type GuardAction, type GuardRuleView, type UpdateGuardRuleBody } from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';

export interface GuardRuleModel {
  name: string;
  pattern: string;
  action: GuardAction;
  enabled: boolean;
  description: string;
}

export const guardRuleModel = (rule: GuardRuleView | null): GuardRuleModel => ({
  name: rule?.name ?? '',
  pattern: rule?.pattern ?? '',
  action: rule?.action ?? 'block',
  enabled: rule?.enabled ?? true,
  description: rule?.description ?? '',
});

export function guardRuleRules(): FormRules {
  return {
    name: schemaRule(GuardRuleBody.shape.name, { required: true }),
    pattern: {
      trigger: ['blur', 'input'],
      required: true,
      validator: (_r, v: string) => {
        const { t } = i18n.global;
        if (!v) return new Error(t('validation.required'));
        if (v.length > 500) return new Error(t('validation.maxLength', { max: 500 }));
        try {
          new RegExp(v, 'm');
          return true;
        } catch {
          return new Error(t('jobs.guardRules.patternInvalid'));
        }
      },
    },
    description: schemaRule(GuardRuleBody.shape.description),
  };
}

export const createBody = (m: GuardRuleModel): GuardRuleBody => ({
  name: m.name.trim(),
  pattern: m.pattern,
  action: m.action,
  enabled: m.enabled,
  ...(m.description.trim() && { description: m.description.trim() }),
});

/** Only what changed (a built-in rule takes `enabled` alone). */
export function updateBody(rule: GuardRuleView, m: GuardRuleModel): UpdateGuardRuleBody {
  const body: UpdateGuardRuleBody = {};
  if (m.name.trim() !== rule.name) body.name = m.name.trim();
  if (m.pattern !== rule.pattern) body.pattern = m.pattern;
  if (m.action !== rule.action) body.action = m.action;
  if (m.enabled !== rule.enabled) body.enabled = m.enabled;
  if (m.description.trim() !== rule.description) body.description = m.description.trim();
  return body;
}
