import { DayWindow, TimeWindow, type DayWindow as DayWindowValue, type TimeWindow as TimeWindowValue } from '@opsline/contracts';
import { i18n } from '../../../platform/i18n';

/** One window while edited: a cleared time picker holds null; `timeZone` only where windows carry their own. */
export interface WindowRow {
  days: number[];
  from: string | null;
  to: string | null;
  timeZone: string | null;
}

const ALL_DAYS = [0, 1, 2, 3, 4, 5, 6];
/** Monday first, as the calendar shows weeks. */
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

export const weekdayName = (day: number): string => i18n.global.t(`oncall.weekdays.${day}`);
export const weekdayOptions = () => WEEK_ORDER.map((d) => ({ value: d, label: weekdayName(d) }));

export const windowRow = (w?: Partial<TimeWindowValue>, zone: string | null = null): WindowRow => ({
  days: [...(w?.days ?? ALL_DAYS)],
  from: w?.from ?? '09:00',
  to: w?.to ?? '18:00',
  timeZone: w?.timeZone ?? zone,
});

export const dayWindowOf = (r: WindowRow): DayWindowValue => ({ days: [...r.days].sort(), from: r.from ?? '', to: r.to ?? '' });
export const timeWindowOf = (r: WindowRow): TimeWindowValue => ({ ...dayWindowOf(r), timeZone: r.timeZone ?? '' });

/** The first problem with the rows, in the console's language (the contracts' own checks). */
export function windowsProblem(rows: readonly WindowRow[], withZone: boolean): string | null {
  const { t } = i18n.global;
  for (const r of rows) {
    if (r.days.length === 0) return t('oncall.windows.noDays');
    if (!r.from || !r.to) return t('oncall.windows.noTime');
    const ok = withZone ? TimeWindow.safeParse(timeWindowOf(r)).success : DayWindow.safeParse(dayWindowOf(r)).success;
    if (!ok) return withZone && !r.timeZone ? t('oncall.windows.noZone') : t('oncall.windows.invalid');
  }
  return null;
}

/** `Mon, Tue 20:00–08:00 (next day)`: a window as one reads it; the zone added when it has one. */
export function windowText(w: DayWindowValue & { timeZone?: string }): string {
  const { t } = i18n.global;
  const days = w.days.length === 7 ? t('oncall.windows.everyDay') : WEEK_ORDER.filter((d) => w.days.includes(d)).map(weekdayName).join(t('oncall.windows.daySeparator'));
  const overnight = w.to <= w.from && !(w.from === '00:00' && w.to === '00:00');
  const span = w.from === '00:00' && w.to === '00:00' ? t('oncall.windows.allDay') : `${w.from}–${w.to}${overnight ? t('oncall.windows.nextDay') : ''}`;
  return w.timeZone ? `${days} ${span} (${w.timeZone})` : `${days} ${span}`;
}
