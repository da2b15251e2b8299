import { JobAlertBody, type JobAlertView } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';

export type JobAlertOutcome = JobAlertView['on'][number];

export interface JobAlertModel {
  name: string;
  /** null: every template's runs. */
  templateId: string | null;
  on: JobAlertOutcome[];
  /** "Running longer than", in minutes; null for no such alert. */
  durationMinutes: number | null;
  channelIds: string[];
  enabled: boolean;
}

/** The contract's limit (seven days), in minutes. */
export const MAX_MINUTES = (7 * 86_400) / 60;

export const jobAlertModel = (a: JobAlertView | null): JobAlertModel => ({
  name: a?.name ?? '',
  templateId: a?.templateId ?? null,
  on: a ? [...a.on] : ['failed', 'partial'],
  durationMinutes: a?.durationOverSec ? Math.max(1, Math.round(a.durationOverSec / 60)) : null,
  channelIds: a ? [...a.channelIds] : [],
  enabled: a?.enabled ?? true,
});

export function jobAlertBody(m: JobAlertModel): JobAlertBody {
  return {
    name: m.name.trim(),
    ...(m.templateId && { templateId: m.templateId }),
    on: m.on,
    ...(m.durationMinutes !== null && { durationOverSec: m.durationMinutes * 60 }),
    channelIds: m.channelIds,
    enabled: m.enabled,
  };
}

/** A saved rule again with `enabled` changed (the API replaces the whole rule). */
export const toggledBody = (a: JobAlertView, enabled: boolean): JobAlertBody => ({
  name: a.name,
  ...(a.templateId && { templateId: a.templateId }),
  on: a.on,
  ...(a.durationOverSec !== null && { durationOverSec: a.durationOverSec }),
  channelIds: a.channelIds,
  enabled,
});

/** The server names `durationOverSec`; the form asks for minutes. */
export const jobAlertFieldOf = (path: string): string => {
  const field = path.replace(/^body\./, '').split('.')[0] ?? path;
  return field === 'durationOverSec' ? 'durationMinutes' : field;
};

/** As the server checks it: an outcome or a duration, or the alert never fires. */
function whenRule(model: JobAlertModel): FormItemRule {
  return {
    trigger: ['change'],
    validator: () => (model.on.length === 0 && model.durationMinutes === null ? new Error(i18n.global.t('jobAlerts.whenMissing')) : true),
  };
}

export function jobAlertRules(model: JobAlertModel): FormRules {
  return {
    name: schemaRule(JobAlertBody.shape.name, { required: true }),
    on: whenRule(model),
    channelIds: schemaRule(JobAlertBody.shape.channelIds, { required: true }),
  };
}
