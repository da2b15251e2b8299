import { z } from 'zod';
import { Description, Id, IsoDate, PageQuery } from './common.js';
import { MAX_TIMEOUT_SEC, RunAsUser } from './exec.js';
import { ScriptLanguage } from './scripts.js';

/**
 * The job center: templates (a script version, parameter values, targets and
 * a strategy) and runs of them, host by host, under full control.
 */

/** Hosts and tree nodes to run on; nodes are resolved to the hosts under them when a run starts. */
export const JobTargets = z
  .strictObject({
    hostIds: z.array(Id).max(10_000).default([]),
    nodeIds: z.array(Id).max(1_000).default([]),
  })
  .refine((t) => t.hostIds.length + t.nodeIds.length > 0, { message: 'pick at least one host or node', path: ['hostIds'] });
export type JobTargets = z.infer<typeof JobTargets>;

export const ON_ERROR = ['continue', 'pause', 'abort'] as const;

/** How a run goes through its hosts: each field without its default (for overrides that must not reset the others). */
const STRATEGY = {
  /** Hosts at once: a number (`10`) or a share of the hosts (`"25%"`). */
  concurrency: z.union([z.number().int().min(1).max(10_000), z.string().regex(/^(100|[1-9]\d?)%$/, 'a percentage from 1% to 100%')]),
  /** Pause after the first batch (its size is the concurrency) until someone resumes. */
  batchPause: z.boolean(),
  /** After a host fails: go on, pause the run, or start no more hosts. */
  onError: z.enum(ON_ERROR),
  /** With `continue`: abort once this share of finished hosts failed (0–1). */
  maxFailureRatio: z.number().min(0).max(1),
  timeoutSec: z.number().int().min(1).max(MAX_TIMEOUT_SEC),
  runAs: RunAsUser,
  /** A host runs one task of this template at a time; other runs queue for it. */
  exclusive: z.boolean(),
};

/** How a run goes through its hosts. */
export const JobStrategy = z.strictObject({
  concurrency: STRATEGY.concurrency.default(10),
  batchPause: STRATEGY.batchPause.default(false),
  onError: STRATEGY.onError.default('continue'),
  maxFailureRatio: STRATEGY.maxFailureRatio.optional(),
  timeoutSec: STRATEGY.timeoutSec.default(600),
  runAs: STRATEGY.runAs.optional(),
  exclusive: STRATEGY.exclusive.default(false),
});
/** Some fields of a strategy, over a template's: the others keep the template's values. */
export const JobStrategyOverride = z.strictObject(STRATEGY).partial();
export type JobStrategy = z.infer<typeof JobStrategy>;
export type JobStrategyInput = z.input<typeof JobStrategy>;

/** Parameter values by name; secret ones are sealed at rest and masked in output. */
export const ParamValues = z.record(z.string().max(128), z.string().max(32 * 1024)).default({});

export const JobTemplateBody = z.strictObject({
  name: z.string().trim().min(1).max(128),
  description: Description.optional(),
  scriptId: Id,
  /** A fixed version; without it, each run takes the script's latest. */
  scriptVersion: z.number().int().min(1).optional(),
  params: ParamValues,
  targets: JobTargets,
  strategy: JobStrategy.default(JobStrategy.parse({})),
  nodeId: Id.optional(),
});
export type JobTemplateBody = z.infer<typeof JobTemplateBody>;
export const UpdateJobTemplateBody = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  description: Description.optional(),
  scriptId: Id.optional(),
  scriptVersion: z.number().int().min(1).nullable().optional(),
  params: ParamValues.optional(),
  targets: JobTargets.optional(),
  strategy: JobStrategy.optional(),
  nodeId: Id.nullable().optional(),
});
export type UpdateJobTemplateBody = z.infer<typeof UpdateJobTemplateBody>;

export const JobTemplateView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  scriptId: z.string(),
  scriptName: z.string(),
  scriptVersion: z.number().int().nullable(),
  /** Secret values come back as "" (set) — never the value. */
  params: z.record(z.string(), z.string()),
  targets: z.object({ hostIds: z.array(z.string()), nodeIds: z.array(z.string()) }),
  strategy: JobStrategy,
  nodeId: z.string().nullable(),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type JobTemplateView = z.infer<typeof JobTemplateView>;

export const JobTemplateListQuery = PageQuery.extend({ q: z.string().trim().max(128).optional() });
export type JobTemplateListQuery = z.infer<typeof JobTemplateListQuery>;

/** Start a run: from a template (overriding what you like), or ad hoc with a script. */
export const StartJobRunBody = z
  .strictObject({
    templateId: Id.optional(),
    script: z.strictObject({ scriptId: Id, version: z.number().int().min(1).optional() }).optional(),
    /** An inline script, for ad-hoc runs without a library entry. */
    inline: z.strictObject({ language: ScriptLanguage, content: z.string().min(1).max(1024 * 1024) }).optional(),
    name: z.string().trim().min(1).max(128).optional(),
    params: z.record(z.string().max(128), z.string().max(32 * 1024)).optional(),
    targets: JobTargets.optional(),
    strategy: JobStrategyOverride.optional(),
  })
  .refine((b) => [b.templateId, b.script, b.inline].filter(Boolean).length === 1, { message: 'give one of templateId, script or inline', path: ['templateId'] });
export type StartJobRunBody = z.infer<typeof StartJobRunBody>;

export const JOB_RUN_STATES = ['pending', 'running', 'paused', 'killing', 'success', 'failed', 'partial', 'killed'] as const;
export const JobRunState = z.enum(JOB_RUN_STATES);
export type JobRunState = z.infer<typeof JobRunState>;
export const JOB_RUN_FINAL: readonly JobRunState[] = ['success', 'failed', 'partial', 'killed'];

export const JOB_HOST_STATES = ['pending', 'waiting', 'running', 'success', 'failed', 'timeout', 'killed', 'lost', 'skipped'] as const;
export const JobHostState = z.enum(JOB_HOST_STATES);
export type JobHostState = z.infer<typeof JobHostState>;

export const JobRunView = z.object({
  id: z.string(),
  name: z.string(),
  templateId: z.string().nullable(),
  scriptId: z.string().nullable(),
  scriptVersion: z.number().int().nullable(),
  language: ScriptLanguage,
  status: JobRunState,
  strategy: JobStrategy,
  /** Why it paused or ended early (a failure with onError=pause, the failure ratio, a person). */
  reason: z.string().nullable(),
  total: z.number().int(),
  counts: z.record(JobHostState, z.number().int()),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
});
export type JobRunView = z.infer<typeof JobRunView>;

export const JobRunHostView = z.object({
  hostId: z.string(),
  hostname: z.string(),
  ip: z.string().nullable(),
  batch: z.number().int(),
  status: JobHostState,
  exitCode: z.number().int().nullable(),
  taskId: z.string().nullable(),
  attempt: z.number().int(),
  error: z.string().nullable(),
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
});
export type JobRunHostView = z.infer<typeof JobRunHostView>;

export const JobRunHostOutput = JobRunHostView.extend({ stdout: z.string(), stderr: z.string(), stdoutBytes: z.number().int(), stderrBytes: z.number().int() });
export type JobRunHostOutput = z.infer<typeof JobRunHostOutput>;

export const JobRunListQuery = PageQuery.extend({ status: JobRunState.optional(), templateId: Id.optional() });
export type JobRunListQuery = z.infer<typeof JobRunListQuery>;

export const JobRunHostsQuery = PageQuery.extend({
  status: JobHostState.optional(),
  /** Part of the hostname or IP. */
  q: z.string().trim().max(128).optional(),
});
export type JobRunHostsQuery = z.infer<typeof JobRunHostsQuery>;

export const JobDashboardQuery = z.strictObject({
  /** The zone whose days are counted (today, the last 7 days). */
  tz: z.string().trim().min(1).max(64).default('UTC'),
});
export const JobDashboard = z.object({
  today: z.object({ runs: z.number().int(), success: z.number().int(), failed: z.number().int(), partial: z.number().int(), killed: z.number().int() }),
  /** The last 7 days, oldest first (dates in the zone asked for). */
  days: z.array(z.object({ date: z.string(), runs: z.number().int(), success: z.number().int(), failed: z.number().int() })),
  /** Share of the last 7 days' ended runs that succeeded (null without any). */
  successRate7d: z.number().nullable(),
  failingTemplates: z.array(z.object({ templateId: z.string(), name: z.string(), runs: z.number().int(), failed: z.number().int() })),
  slowestHosts: z.array(z.object({ hostId: z.string(), hostname: z.string(), tasks: z.number().int(), avgMs: z.number() })),
  agents: z.object({ online: z.number().int(), offline: z.number().int(), revoked: z.number().int() }),
});
export type JobDashboard = z.infer<typeof JobDashboard>;
