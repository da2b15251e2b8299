import { CreateEnrollmentTokenBody, Name } from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';

const HOUR = 3600;
export const MAX_CUSTOM_HOURS = (30 * 86_400) / HOUR;

/** Lifetimes offered first; `custom` opens an hours field. */
export const EXPIRY_PRESETS = { hour: HOUR, day: 24 * HOUR, week: 7 * 24 * HOUR } as const;
export type ExpiryChoice = keyof typeof EXPIRY_PRESETS | 'custom';

export interface EnrollmentTokenModel {
  name: string;
  expiry: ExpiryChoice;
  customHours: number | null;
  maxUses: number | null;
  /** The leaf node new hosts are bound to; none leaves them unbound. */
  nodeId: string | null;
}

export const emptyTokenModel = (): EnrollmentTokenModel => ({ name: '', expiry: 'day', customHours: 48, maxUses: 1, nodeId: null });

export const expiryOptions = () => {
  const { t } = i18n.global;
  return (['hour', 'day', 'week', 'custom'] as const).map((value) => ({ value, label: t(`enrollTokens.expiries.${value}`) }));
};

export function tokenRules(model: EnrollmentTokenModel): FormRules {
  const { t } = i18n.global;
  return {
    name: schemaRule(Name),
    maxUses: schemaRule(CreateEnrollmentTokenBody.shape.maxUses, { required: true }),
    customHours: {
      trigger: ['blur', 'change'],
      validator: (_r, v: number | null) =>
        model.expiry !== 'custom' || (v !== null && v >= 1 && v <= MAX_CUSTOM_HOURS) ? true : new Error(t('validation.range', { min: 1, max: MAX_CUSTOM_HOURS })),
    },
  };
}

export function tokenBody(m: EnrollmentTokenModel): CreateEnrollmentTokenBody {
  return {
    name: m.name.trim() || undefined,
    expiresInSec: m.expiry === 'custom' ? (m.customHours ?? 0) * HOUR : EXPIRY_PRESETS[m.expiry],
    maxUses: m.maxUses ?? 1,
    nodeId: m.nodeId ?? undefined,
  };
}
