import { MAX_TIMEOUT_SEC, ON_ERROR, RunAsUser, type JobStrategy } from '@opsline/contracts';
import type { FormItemRule } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';

export type OnError = (typeof ON_ERROR)[number];

/** A run strategy while editing: the concurrency as a count or a share of the hosts, the failure ratio in percent. */
export interface StrategyModel {
  concurrencyMode: 'count' | 'percent';
  concurrencyCount: number | null;
  concurrencyPercent: number | null;
  batchPause: boolean;
  onError: OnError;
  /** With `continue`: abort once more than this share (%) of finished hosts failed; null: never. */
  maxFailurePercent: number | null;
  timeoutSec: number | null;
  runAs: string;
  exclusive: boolean;
}

/** The server's defaults (JobStrategy): 10 at a time, go on after failures, 600 s. */
export function strategyModel(s?: JobStrategy): StrategyModel {
  const concurrency = s?.concurrency ?? 10;
  const percent = typeof concurrency === 'string' ? Number(concurrency.replace('%', '')) : null;
  return {
    concurrencyMode: percent === null ? 'count' : 'percent',
    concurrencyCount: typeof concurrency === 'number' ? concurrency : 10,
    concurrencyPercent: percent ?? 25,
    batchPause: s?.batchPause ?? false,
    onError: s?.onError ?? 'continue',
    maxFailurePercent: s?.maxFailureRatio === undefined ? null : Math.round(s.maxFailureRatio * 100),
    timeoutSec: s?.timeoutSec ?? 600,
    runAs: s?.runAs ?? '',
    exclusive: s?.exclusive ?? false,
  };
}

export function strategyBody(m: StrategyModel): JobStrategy {
  return {
    concurrency: m.concurrencyMode === 'percent' ? `${m.concurrencyPercent ?? 100}%` : (m.concurrencyCount ?? 1),
    batchPause: m.batchPause,
    onError: m.onError,
    ...(m.onError === 'continue' && m.maxFailurePercent !== null && { maxFailureRatio: m.maxFailurePercent / 100 }),
    timeoutSec: m.timeoutSec ?? 600,
    ...(m.runAs.trim() && { runAs: m.runAs.trim() }),
    exclusive: m.exclusive,
  };
}

/** Rules of the strategy's fields, by their form paths under `strategy.`. */
export function strategyRules(): Record<'concurrencyCount' | 'concurrencyPercent' | 'timeoutSec' | 'runAs', FormItemRule> {
  const { t } = i18n.global;
  const whole = (min: number, max: number): FormItemRule => ({
    trigger: ['blur', 'input', 'change'],
    required: true,
    validator: (_r, v: number | null) => (v !== null && Number.isInteger(v) && v >= min && v <= max ? true : new Error(t('validation.range', { min, max }))),
  });
  return {
    concurrencyCount: whole(1, 10_000),
    concurrencyPercent: whole(1, 100),
    timeoutSec: whole(1, MAX_TIMEOUT_SEC),
    runAs: schemaRule(RunAsUser, { formatKey: 'exec.runAsFormat' }),
  };
}

/** "10 at a time · on failure: continue · 600 s", for a table cell. */
export function strategyText(s: JobStrategy): string {
  const { t } = i18n.global;
  const parts = [
    t('jobs.strategy.concurrencyShort', { n: String(s.concurrency) }),
    t(`jobs.strategy.onErrorShort.${s.onError}`),
    t('jobs.strategy.timeoutShort', { n: s.timeoutSec }),
  ];
  if (s.batchPause) parts.push(t('jobs.strategy.batchPauseShort'));
  if (s.exclusive) parts.push(t('jobs.strategy.exclusiveShort'));
  return parts.join(' · ');
}
