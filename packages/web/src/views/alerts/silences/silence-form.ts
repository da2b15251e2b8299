import { SilenceBody, SilenceRecurrence, type SilenceView } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { requiredRule, schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { rowsRule } from '../../cmdb/shared/rows';
import { browserZone } from '../../automation/shared/zones';
import { matcherRow, matchersProblem, type MatcherRow } from '../../incidents/grouping-rules/grouping-rule-form';

const HOUR = 3600_000;

/** A silence while editing: the time range as the date picker holds it (ms), the weekly window flat. */
export interface SilenceModel {
  matchers: MatcherRow[];
  range: [number, number] | null;
  recurring: boolean;
  days: number[];
  windowStart: string | null;
  windowEnd: string | null;
  timeZone: string;
  comment: string;
}

/** A silence's form: an edited one's values, else `prefill`'s matchers (or one empty row) from now for two hours. */
export function silenceModel(s: SilenceView | null, prefill: MatcherRow[] | null = null, now = Date.now()): SilenceModel {
  const r = s?.recurrence ?? null;
  return {
    matchers: s ? s.matchers.map(matcherRow) : (prefill ?? [matcherRow()]),
    range: s ? [Date.parse(s.startsAt), Date.parse(s.endsAt)] : [now, now + 2 * HOUR],
    recurring: r !== null,
    days: r ? [...r.days] : [0],
    windowStart: r?.start ?? '02:00',
    windowEnd: r?.end ?? '04:00',
    timeZone: r?.timeZone ?? browserZone(),
    comment: s?.comment ?? '',
  };
}

function matchersCheck(rows: MatcherRow[]): string | null {
  return rows.length === 0 ? i18n.global.t('alerts.silences.matchersRequired') : matchersProblem(rows);
}

const rangeRule = (): FormItemRule => ({
  trigger: ['change', 'blur'],
  required: true,
  validator: (_rule, value: unknown) => {
    const { t } = i18n.global;
    if (!Array.isArray(value)) return new Error(t('validation.required'));
    const [start, end] = value as [number, number];
    if (end <= start) return new Error(t('alerts.silences.endBeforeStart'));
    return end > Date.now() ? true : new Error(t('alerts.silences.endInPast'));
  },
});

/** The rules of the weekly window apply only while it is switched on. */
const whenRecurring = (m: SilenceModel, rule: FormItemRule): FormItemRule => ({ ...rule, required: m.recurring, validator: (r, v: unknown, ...rest) => (m.recurring ? (rule.validator?.(r, v, ...rest) ?? true) : true) });

const windowEndRule = (m: SilenceModel): FormItemRule => ({
  trigger: ['change', 'blur'],
  validator: (_rule, value: unknown) => {
    if (!value) return new Error(i18n.global.t('validation.required'));
    return value === m.windowStart ? new Error(i18n.global.t('alerts.silences.windowSame')) : true;
  },
});

export function silenceRules(m: SilenceModel): FormRules {
  return {
    matchers: { ...rowsRule<MatcherRow>(matchersCheck), required: true },
    range: rangeRule(),
    days: whenRecurring(m, schemaRule(SilenceRecurrence.shape.days, { required: true })),
    windowStart: whenRecurring(m, requiredRule()),
    windowEnd: whenRecurring(m, windowEndRule(m)),
    timeZone: whenRecurring(m, schemaRule(SilenceRecurrence.shape.timeZone, { required: true, formatKey: 'alerts.silences.timeZoneFormat' })),
    comment: schemaRule(SilenceBody.shape.comment, { required: true }),
  };
}

const SERVER_FIELDS: Record<string, string> = { startsAt: 'range', endsAt: 'range', start: 'windowStart', end: 'windowEnd' };

/** The form field of a server issue: `body.endsAt` → `range`, `body.recurrence.timeZone` → `timeZone`, `body.matchers.0.value` → `matchers`. */
export function silenceFieldOf(path: string): string {
  const parts = path.split('.').slice(path.startsWith('body.') ? 1 : 0);
  const field = parts[0] === 'recurrence' && parts[1] ? parts[1] : (parts[0] ?? path);
  return SERVER_FIELDS[field] ?? field;
}

const matcherOf = (r: MatcherRow) => ({ name: r.name.trim(), value: r.value, isRegex: r.op.endsWith('~'), isEqual: !r.op.startsWith('!') });

export function silenceBody(m: SilenceModel): SilenceBody {
  const [start, end] = m.range ?? [Date.now(), Date.now()];
  return {
    matchers: m.matchers.map(matcherOf),
    startsAt: new Date(start).toISOString(),
    endsAt: new Date(end).toISOString(),
    ...(m.recurring && { recurrence: { days: [...m.days].sort((a, b) => a - b), start: m.windowStart ?? '', end: m.windowEnd ?? '', timeZone: m.timeZone.trim() } }),
    comment: m.comment.trim(),
  };
}
