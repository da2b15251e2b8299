import { DEFAULT_PRIORITY_MATRIX, DEFAULT_SLA, IncidentSettings, PRIORITIES, type Priority, type PriorityMatrix } from '@opsline/contracts';
import type { FormItemRule, FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';

/** SLA minutes while editing: a cleared number input holds null. */
export type SlaRows = Record<Priority, { ackMinutes: number | null; resolveMinutes: number | null }>;

export interface SettingsModel {
  matrix: PriorityMatrix;
  sla: SlaRows;
  stormPerMinute: number | null;
  defaultGroupBy: string[];
  defaultWindowMinutes: number | null;
  groupWaitSeconds: number | null;
}

/** A deep copy, so editing never touches what was read. */
export const settingsModel = (s: IncidentSettings): SettingsModel => JSON.parse(JSON.stringify(s)) as SettingsModel;

/** What the form holds until the settings are read (it is not shown meanwhile). */
export const blankSettingsModel = (): SettingsModel => ({
  ...settingsModel({ matrix: DEFAULT_PRIORITY_MATRIX, sla: DEFAULT_SLA, stormPerMinute: 0, defaultGroupBy: [], defaultWindowMinutes: 0, groupWaitSeconds: 0 }),
  stormPerMinute: null,
  defaultWindowMinutes: null,
  groupWaitSeconds: null,
});

const MAX_MINUTES = 525_600;
const badMinutes = (v: number | null): boolean => v === null || !Number.isInteger(v) || v < 1 || v > MAX_MINUTES;

/** Every target a whole number of minutes, from one to a year. */
function slaRule(): FormItemRule {
  return {
    trigger: ['blur', 'change', 'input'],
    validator: (_r, value: SlaRows) => {
      const { t } = i18n.global;
      for (const p of PRIORITIES) {
        const row = value[p];
        if (badMinutes(row.ackMinutes) || badMinutes(row.resolveMinutes)) return new Error(t('incidents.settings.slaRange', { priority: p, max: MAX_MINUTES }));
      }
      return true;
    },
  };
}

export function settingsRules(): FormRules {
  const s = IncidentSettings.shape;
  return {
    sla: slaRule(),
    stormPerMinute: schemaRule(s.stormPerMinute, { required: true }),
    defaultGroupBy: schemaRule(s.defaultGroupBy),
    defaultWindowMinutes: schemaRule(s.defaultWindowMinutes, { required: true }),
    groupWaitSeconds: schemaRule(s.groupWaitSeconds, { required: true }),
  };
}

/** As the API takes it; the rules have made sure no number is missing. */
export function settingsBody(m: SettingsModel): IncidentSettings {
  const n = (v: number | null): number => v ?? 0;
  return {
    matrix: m.matrix,
    sla: Object.fromEntries(PRIORITIES.map((p) => [p, { ackMinutes: n(m.sla[p].ackMinutes), resolveMinutes: n(m.sla[p].resolveMinutes) }])) as IncidentSettings['sla'],
    stormPerMinute: n(m.stormPerMinute),
    defaultGroupBy: m.defaultGroupBy.map((l) => l.trim()).filter(Boolean),
    defaultWindowMinutes: n(m.defaultWindowMinutes),
    groupWaitSeconds: n(m.groupWaitSeconds),
  };
}
