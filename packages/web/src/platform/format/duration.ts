import { i18n } from '../i18n';

/** How long something took, in the console's language: `850 ms`, `12.3 s`, `4 min 5 s`, `1 h 2 min`. */
export function durationText(ms: number): string {
  const { t } = i18n.global;
  const clamped = Math.max(0, ms);
  if (clamped < 1000) return t('duration.ms', { n: Math.round(clamped) });
  const seconds = clamped / 1000;
  if (seconds < 60) return t('duration.s', { n: seconds < 10 ? seconds.toFixed(1) : Math.floor(seconds) });
  const whole = Math.floor(seconds);
  if (whole < 3600) return t('duration.min', { m: Math.floor(whole / 60), s: whole % 60 });
  return t('duration.h', { h: Math.floor(whole / 3600), m: Math.floor((whole % 3600) / 60) });
}
