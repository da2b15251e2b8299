import type { OverrideBody } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { requiredRule } from '../../../../platform/forms/rules';
import { i18n } from '../../../../platform/i18n';

export interface OverrideModel {
  userId: string | null;
  /** Instants in ms, picked on the schedule's clock. */
  start: number | null;
  end: number | null;
}

const HOUR = 3_600_000;

/** Starting at the next whole hour, for eight hours. */
export function overrideModel(): OverrideModel {
  const start = Math.ceil(Date.now() / HOUR) * HOUR;
  return { userId: null, start, end: start + 8 * HOUR };
}

export function overrideRules(model: OverrideModel): FormRules {
  const after: FormItemRule = {
    trigger: ['change', 'blur'],
    validator: (_r, v: number | null) => {
      if (v === null) return new Error(i18n.global.t('validation.required'));
      return model.start !== null && v <= model.start ? new Error(i18n.global.t('oncall.overrides.endBeforeStart')) : true;
    },
  };
  return { userId: requiredRule(), start: requiredRule(), end: after };
}

export const overrideBody = (m: OverrideModel): OverrideBody => ({
  userId: m.userId ?? '',
  start: new Date(m.start ?? 0).toISOString(),
  end: new Date(m.end ?? 0).toISOString(),
});
