import { z } from 'zod';
import { Description, Id, IsoDate, PageQuery } from './common.js';

/**
 * Workflows (流程): a DAG of steps. Each step has a type from the step-type
 * registry (the plugins), its parameters (checked by that type), the steps
 * it waits for, and runs once they all succeeded.
 */

export const StepKey = z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ and -; starts with a letter');

export const WorkflowStep = z.strictObject({
  key: StepKey,
  name: z.string().trim().min(1).max(128),
  /** A registered step type: `job`, `script`, `http`, `wait`, `approval`, `condition`, … */
  type: z.string().min(1).max(64),
  params: z.record(z.string(), z.unknown()).default({}),
  /** Keys of the steps this one waits for. */
  needs: z.array(StepKey).max(50).default([]),
});
export type WorkflowStep = z.infer<typeof WorkflowStep>;

export const WorkflowBody = z.strictObject({
  name: z.string().trim().min(1).max(128),
  description: Description.optional(),
  steps: z.array(WorkflowStep).min(1).max(100),
});
export type WorkflowBody = z.infer<typeof WorkflowBody>;
export const UpdateWorkflowBody = z.strictObject({
  name: z.string().trim().min(1).max(128).optional(),
  description: Description.optional(),
  steps: z.array(WorkflowStep).min(1).max(100).optional(),
});
export type UpdateWorkflowBody = z.infer<typeof UpdateWorkflowBody>;

export const WorkflowView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  steps: z.array(WorkflowStep),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type WorkflowView = z.infer<typeof WorkflowView>;

export const STEP_STATES = ['pending', 'running', 'waiting', 'success', 'failed', 'skipped', 'rejected'] as const;
export const StepState = z.enum(STEP_STATES);
export type StepState = z.infer<typeof StepState>;

export const WORKFLOW_RUN_STATES = ['running', 'waiting', 'success', 'failed', 'rejected'] as const;
export const WorkflowRunState = z.enum(WORKFLOW_RUN_STATES);
export type WorkflowRunState = z.infer<typeof WorkflowRunState>;

export const StepRunView = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  status: StepState,
  /** What the step says it did (a job run's id and result, an HTTP status, who approved). */
  output: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
  attempt: z.number().int(),
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
});
export type StepRunView = z.infer<typeof StepRunView>;

export const WorkflowRunView = z.object({
  id: z.string(),
  workflowId: z.string(),
  name: z.string(),
  status: WorkflowRunState,
  steps: z.array(StepRunView),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  finishedAt: IsoDate.nullable(),
});
export type WorkflowRunView = z.infer<typeof WorkflowRunView>;

export const StartWorkflowRunBody = z.strictObject({ workflowId: Id });
export const WorkflowRunListQuery = PageQuery.extend({ workflowId: Id.optional(), status: WorkflowRunState.optional() });
export type WorkflowRunListQuery = z.infer<typeof WorkflowRunListQuery>;
export const StepParams = z.strictObject({ id: Id, stepKey: StepKey });
export const ApprovalBody = z.strictObject({ comment: z.string().max(2000).default('') });

/** What the plugin page shows of a step type. */
export const StepTypeView = z.object({
  type: z.string(),
  title: z.string(),
  description: z.string(),
  /** JSON Schema of its parameters. */
  params: z.record(z.string(), z.unknown()),
});
export type StepTypeView = z.infer<typeof StepTypeView>;
