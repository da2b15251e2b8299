import { z } from 'zod';
import { Id, IsoDate, PageQuery } from './common.js';

/** Cron on a job template (定时任务): seconds allowed, in a time zone, with overlap and misfire policies. */

/** Five fields (minute first) or six (seconds first), as croner reads them; checked by the server. */
export const CronPattern = z.string().trim().min(9).max(120);
/** An IANA zone (`Asia/Shanghai`, `UTC`); checked by the server. */
export const TimeZone = z.string().trim().min(1).max(64);

export const OVERLAP_POLICIES = ['skip', 'queue'] as const;
export const MISFIRE_POLICIES = ['run_once', 'skip'] as const;

const SCHEDULE = {
  name: z.string().trim().min(1).max(128),
  /** A job template to run, or a workflow (exactly one). */
  templateId: Id,
  workflowId: Id,
  cron: CronPattern,
  timezone: TimeZone,
  enabled: z.boolean(),
  /** When a fire comes while the last run is still going: skip it, or run once the last one ends. */
  overlap: z.enum(OVERLAP_POLICIES),
  /** Fires missed while no server was up: one run when it is back, or none. */
  misfire: z.enum(MISFIRE_POLICIES),
};

export const ScheduleBody = z
  .strictObject({
    ...SCHEDULE,
    templateId: SCHEDULE.templateId.optional(),
    workflowId: SCHEDULE.workflowId.optional(),
    timezone: SCHEDULE.timezone.default('UTC'),
    enabled: SCHEDULE.enabled.default(true),
    overlap: SCHEDULE.overlap.default('skip'),
    misfire: SCHEDULE.misfire.default('run_once'),
  })
  .refine((b) => (b.templateId === undefined) !== (b.workflowId === undefined), { message: 'give a templateId or a workflowId, not both', path: ['templateId'] });
export type ScheduleBody = z.infer<typeof ScheduleBody>;
/** Only the fields sent change (no defaults filled in). */
export const UpdateScheduleBody = z.strictObject(SCHEDULE).partial();
export type UpdateScheduleBody = z.infer<typeof UpdateScheduleBody>;

export const ScheduleView = z.object({
  id: z.string(),
  name: z.string(),
  templateId: z.string().nullable(),
  workflowId: z.string().nullable(),
  /** The template's or workflow's name. */
  targetName: z.string(),
  cron: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  overlap: z.enum(OVERLAP_POLICIES),
  misfire: z.enum(MISFIRE_POLICIES),
  /** The next five fire times (empty when disabled). */
  nextFires: z.array(IsoDate),
  lastFiredAt: IsoDate.nullable(),
  lastRunId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type ScheduleView = z.infer<typeof ScheduleView>;

export const SCHEDULE_FIRE_OUTCOMES = ['started', 'queued', 'skipped_overlap', 'skipped_misfire', 'failed'] as const;
export const ScheduleFireView = z.object({
  id: z.string(),
  scheduledAt: IsoDate,
  firedAt: IsoDate,
  outcome: z.enum(SCHEDULE_FIRE_OUTCOMES),
  runId: z.string().nullable(),
  error: z.string().nullable(),
});
export type ScheduleFireView = z.infer<typeof ScheduleFireView>;

export const ScheduleListQuery = PageQuery.extend({ templateId: Id.optional() });
export type ScheduleListQuery = z.infer<typeof ScheduleListQuery>;

/** The console's form asks what a pattern means before saving it. */
export const CronPreviewQuery = z.strictObject({ cron: CronPattern, timezone: TimeZone.default('UTC') });
export const CronPreview = z.object({ nextFires: z.array(IsoDate) });
