import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import type { JobStrategy } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';

/** A saved job: script (version), parameter values, targets and strategy. Secret values are sealed. */
export const jobTemplates = pgTable(
  'job_templates',
  {
    id: id(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    scriptId: uuid('script_id').notNull(),
    /** Null: each run takes the script's latest version. */
    scriptVersion: integer('script_version'),
    /** Values of non-secret parameters. */
    params: jsonb('params').$type<Record<string, string>>().notNull(),
    /** Values of secret parameters, sealed with the secrets box (JSON inside). */
    sealedParams: text('sealed_params'),
    targets: jsonb('targets').$type<{ hostIds: string[]; nodeIds: string[] }>().notNull(),
    strategy: jsonb('strategy').$type<JobStrategy>().notNull(),
    nodeId: uuid('node_id'),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('job_templates_name_idx').on(t.name)],
);

/** One run of a job: what ran (a snapshot of the script), how, and where it stands. */
export const jobRuns = pgTable(
  'job_runs',
  {
    id: id(),
    name: text('name').notNull(),
    templateId: uuid('template_id'),
    scriptId: uuid('script_id'),
    scriptVersion: integer('script_version'),
    language: text('language').notNull(),
    content: text('content').notNull(),
    params: jsonb('params').$type<Record<string, string>>().notNull(),
    sealedParams: text('sealed_params'),
    /** Names of the secret parameters (their values are masked in output). */
    secretNames: jsonb('secret_names').$type<string[]>().notNull(),
    strategy: jsonb('strategy').$type<JobStrategy>().notNull(),
    status: text('status').notNull(),
    reason: text('reason'),
    /** The first batch finished and the run went on past its pause. */
    firstBatchDone: boolean('first_batch_done').notNull().default(false),
    /** The server driving the run, and until when it holds it (renewed while it runs; another server adopts it after). */
    owner: text('owner'),
    leaseUntil: at('lease_until'),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [index('job_runs_status_idx').on(t.status, t.id), index('job_runs_template_idx').on(t.templateId, t.id)],
);

/** Each host of a run: its batch, its state, and the execution task that ran there. */
export const jobRunHosts = pgTable(
  'job_run_hosts',
  {
    runId: uuid('run_id').notNull(),
    hostId: uuid('host_id').notNull(),
    hostname: text('hostname').notNull(),
    ip: text('ip'),
    /** Order of the host in the run (0-based); batch = seq / concurrency. */
    seq: integer('seq').notNull(),
    batch: integer('batch').notNull(),
    status: text('status').notNull(),
    exitCode: integer('exit_code'),
    taskId: uuid('task_id'),
    attempt: integer('attempt').notNull().default(0),
    error: text('error'),
    startedAt: at('started_at'),
    finishedAt: at('finished_at'),
  },
  (t) => [primaryKey({ columns: [t.runId, t.hostId] }), index('job_run_hosts_status_idx').on(t.runId, t.status, t.seq), index('job_run_hosts_task_idx').on(t.taskId)],
);

/** Cron on a template. `nextFireAt` is the fire the firing loop waits for; `queued` counts fires held by the overlap policy. */
export const jobSchedules = pgTable(
  'job_schedules',
  {
    id: id(),
    name: text('name').notNull(),
    /** What it runs: a job template or a workflow (exactly one). */
    templateId: uuid('template_id'),
    workflowId: uuid('workflow_id'),
    cron: text('cron').notNull(),
    timezone: text('timezone').notNull(),
    enabled: boolean('enabled').notNull(),
    overlap: text('overlap').notNull(),
    misfire: text('misfire').notNull(),
    nextFireAt: at('next_fire_at'),
    queued: integer('queued').notNull().default(0),
    lastFiredAt: at('last_fired_at'),
    lastRunId: uuid('last_run_id'),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    updatedAt: at('updated_at').notNull(),
  },
  (t) => [index('job_schedules_due_idx').on(t.enabled, t.nextFireAt)],
);

/** Each fire of a schedule and what came of it. */
export const jobScheduleFires = pgTable(
  'job_schedule_fires',
  {
    id: id(),
    scheduleId: uuid('schedule_id').notNull(),
    scheduledAt: at('scheduled_at').notNull(),
    firedAt: at('fired_at').notNull(),
    outcome: text('outcome').notNull(),
    runId: uuid('run_id'),
    error: text('error'),
  },
  (t) => [index('job_schedule_fires_schedule_idx').on(t.scheduleId, t.id)],
);


/** Job alerts (预警配置): which runs notify which channels. */
export const jobAlertRules = pgTable('job_alert_rules', {
  id: id(),
  name: text('name').notNull(),
  templateId: uuid('template_id'),
  on: jsonb('on').$type<string[]>().notNull(),
  durationOverSec: integer('duration_over_sec'),
  channelIds: jsonb('channel_ids').$type<string[]>().notNull(),
  enabled: boolean('enabled').notNull(),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
});

/** Alerts sent: one per rule, run and kind, however many servers saw the run end. */
export const jobAlertsFired = pgTable(
  'job_alerts_fired',
  {
    ruleId: uuid('rule_id').notNull(),
    runId: uuid('run_id').notNull(),
    kind: text('kind').notNull(),
    firedAt: at('fired_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ruleId, t.runId, t.kind] })],
);
