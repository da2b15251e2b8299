import type { OncallShift, OverrideView } from '@opsline/contracts';
import { computed, ref, watch, type Ref } from 'vue';
import { getShifts, listOverrides } from '../../../../api/oncall';
import { useLoaded } from '../../../../platform/composables/useLoaded';
import { addDays, dateIn, dayStart } from '../../shared/zoned-time';
import { daysOf, stepAnchor, type Period } from './calendar';

/**
 * The calendar's state: the period shown around an anchor day (both on the
 * schedule's clock), and the server's final schedule and overrides for it.
 */
export function useScheduleCalendar(scheduleId: Ref<string>, zone: Ref<string | null>) {
  const period = ref<Period>('week');
  const anchor = ref<string | null>(null);
  const today = ref<string | null>(null);

  watch(
    zone,
    (z) => {
      if (!z) return;
      today.value = dateIn(Date.now(), z);
      anchor.value ??= today.value;
    },
    { immediate: true },
  );

  const days = computed(() => (anchor.value ? daysOf(period.value, anchor.value) : []));
  const range = computed(() => {
    const z = zone.value;
    const first = days.value[0];
    const last = days.value[days.value.length - 1];
    if (!z || !first || !last) return null;
    return { from: new Date(dayStart(first, z)).toISOString(), to: new Date(dayStart(addDays(last, 1), z)).toISOString() };
  });

  const loaded = useLoaded(async (): Promise<{ shifts: OncallShift[]; overrides: OverrideView[] }> => {
    const r = range.value;
    if (!r) return { shifts: [], overrides: [] };
    const [shifts, overrides] = await Promise.all([getShifts(scheduleId.value, r.from, r.to), listOverrides(scheduleId.value, r.from, r.to)]);
    return { shifts: shifts.shifts, overrides: overrides.items };
  });
  watch([range, scheduleId], () => void loaded.load(), { immediate: true });

  return {
    period,
    anchor,
    today,
    days,
    range,
    shifts: computed(() => loaded.data.value?.shifts ?? []),
    overrides: computed(() => loaded.data.value?.overrides ?? []),
    loading: loaded.loading,
    error: loaded.error,
    reload: (quiet = false) => loaded.load(quiet),
    step: (dir: -1 | 1) => {
      if (anchor.value) anchor.value = stepAnchor(period.value, anchor.value, dir);
    },
    goToday: () => {
      if (zone.value) anchor.value = today.value = dateIn(Date.now(), zone.value);
    },
  };
}

export type ScheduleCalendar = ReturnType<typeof useScheduleCalendar>;
