import type { SilenceRecurrence, SilenceView } from '@opsline/contracts';
import { h, type VNode } from 'vue';
import { statusTag, type TagType } from '../../../platform/components/cells';
import { currentLocale, i18n } from '../../../platform/i18n';

const STATE_TAG_TYPE: Record<SilenceView['state'], TagType> = { active: 'success', pending: 'info', expired: 'default' };
/** 2024-01-07 was a Sunday: day `d` (0 = Sunday) is that date plus d. */
const SUNDAY = Date.UTC(2024, 0, 7, 12);
const DAYS = [0, 1, 2, 3, 4, 5, 6] as const;

/** `周一` / `Mon` in the console's language. */
export const weekdayName = (day: number, locale = currentLocale()): string =>
  new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(new Date(SUNDAY + day * 86_400_000));

/** Monday first, as calendars here show the week. */
export const weekdayOptions = (locale = currentLocale()) => [...DAYS.slice(1), 0].map((day) => ({ value: day, label: weekdayName(day, locale) }));

/** `每周一、周三 02:00–04:00（Asia/Shanghai）`; every day is said so. */
export function recurrenceText(r: SilenceRecurrence): string {
  const { t } = i18n.global;
  const days = r.days.length === 7 ? t('alerts.silences.everyDay') : [...r.days].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7)).map((d) => weekdayName(d)).join(t('alerts.silences.daySeparator'));
  const key = r.end < r.start ? 'alerts.silences.windowOvernight' : 'alerts.silences.window';
  return t(key, { days, start: r.start, end: r.end, zone: r.timeZone });
}

export const silenceStateText = (state: SilenceView['state']): string => i18n.global.t(`alerts.silences.states.${state}`);

/** Its state, and for an active weekly window whether it silences right now. */
export function silenceStateTags(s: SilenceView): VNode {
  const { t } = i18n.global;
  const windowTag = s.state === 'active' && s.recurrence ? statusTag(t(s.silencingNow ? 'alerts.silences.inWindow' : 'alerts.silences.outOfWindow'), s.silencingNow ? 'warning' : 'default', 'silence-row-window') : null;
  return h('span', { class: 'alert-state' }, [statusTag(silenceStateText(s.state), STATE_TAG_TYPE[s.state], 'silence-row-state'), windowTag]);
}
