import { CronPattern, UpdateScheduleBody, type ScheduleBody, type ScheduleView } from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { createSchedule, updateSchedule } from '../../../api/automation';
import { requiredRule, schemaRule } from '../../../platform/forms/rules';
import { browserZone } from '../shared/zones';

const ScheduleFields = UpdateScheduleBody.shape;

/** What a schedule runs: a job template or a workflow. */
export type ScheduleTarget = 'template' | 'workflow';

/** The schedule drawer's model. */
export interface ScheduleModel {
  name: string;
  target: ScheduleTarget;
  templateId: string | null;
  workflowId: string | null;
  cron: string;
  timezone: string;
  enabled: boolean;
  overlap: ScheduleView['overlap'];
  misfire: ScheduleView['misfire'];
}

/** Patterns with seconds first, as the presets offer them (their labels under `automation.schedules.presets`). */
export const CRON_PRESETS = [
  { key: 'everyMinute', cron: '0 * * * * *' },
  { key: 'hourly', cron: '0 0 * * * *' },
  { key: 'daily0200', cron: '0 0 2 * * *' },
  { key: 'weekdays0930', cron: '0 30 9 * * 1-5' },
] as const;

export function scheduleModel(s: ScheduleView | null): ScheduleModel {
  return {
    name: s?.name ?? '',
    target: s?.workflowId ? 'workflow' : 'template',
    templateId: s?.templateId ?? null,
    workflowId: s?.workflowId ?? null,
    cron: s?.cron ?? CRON_PRESETS[2].cron,
    timezone: s?.timezone ?? browserZone(),
    enabled: s?.enabled ?? true,
    overlap: s?.overlap ?? 'skip',
    misfire: s?.misfire ?? 'run_once',
  };
}

export function scheduleRules(): FormRules {
  return {
    name: schemaRule(ScheduleFields.name, { required: true }),
    templateId: requiredRule(),
    workflowId: requiredRule(),
    // The server checks the pattern itself (the preview says what is wrong); here only its length.
    cron: schemaRule(CronPattern, { required: true }),
    timezone: requiredRule(),
  };
}

/** The fields a save sends: the target as one of templateId or workflowId. */
function bodyOf(m: ScheduleModel): ScheduleBody {
  return {
    name: m.name.trim(),
    ...(m.target === 'workflow' ? { workflowId: m.workflowId ?? '' } : { templateId: m.templateId ?? '' }),
    cron: m.cron.trim(),
    timezone: m.timezone,
    enabled: m.enabled,
    overlap: m.overlap,
    misfire: m.misfire,
  };
}

/** Only what changed, so the audit record and the event name real changes (naming the other target replaces the old one). */
function changes(s: ScheduleView, m: ScheduleModel): UpdateScheduleBody {
  const next = bodyOf(m);
  const body: UpdateScheduleBody = {};
  for (const key of Object.keys(next) as (keyof ScheduleBody)[]) {
    if (next[key] !== s[key]) Object.assign(body, { [key]: next[key] });
  }
  return body;
}

export async function saveSchedule(s: ScheduleView | null, m: ScheduleModel): Promise<ScheduleView> {
  if (!s) return createSchedule(bodyOf(m));
  const body = changes(s, m);
  return Object.keys(body).length > 0 ? updateSchedule(s.id, body) : s;
}
