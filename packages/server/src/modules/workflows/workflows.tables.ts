import { index, jsonb, pgTable, text, uuid } from 'drizzle-orm/pg-core';
import type { StepState, WorkflowStep } from '@opsline/contracts';
import { at, id } from '../../platform/db/columns.js';

/** Workflows: a DAG of typed steps (see modules/workflows). */
export const workflows = pgTable('workflows', {
  id: id(),
  name: text('name').notNull(),
  description: text('description').notNull().default(''),
  steps: jsonb('steps').$type<WorkflowStep[]>().notNull(),
  createdBy: uuid('created_by'),
  createdAt: at('created_at').notNull(),
  updatedAt: at('updated_at').notNull(),
});

/** A run of a workflow: its steps (a snapshot) and each one's state. */
export const workflowRuns = pgTable(
  'workflow_runs',
  {
    id: id(),
    workflowId: uuid('workflow_id').notNull(),
    name: text('name').notNull(),
    status: text('status').notNull(),
    steps: jsonb('steps').$type<WorkflowStep[]>().notNull(),
    state: jsonb('state').$type<Record<string, StepRunState>>().notNull(),
    createdBy: uuid('created_by'),
    createdAt: at('created_at').notNull(),
    finishedAt: at('finished_at'),
  },
  (t) => [index('workflow_runs_workflow_idx').on(t.workflowId, t.id), index('workflow_runs_status_idx').on(t.status)],
);

/** One step's state in a workflow run. */
export interface StepRunState {
  status: StepState;
  output: Record<string, unknown> | null;
  error: string | null;
  attempt: number;
  startedAt: string | null;
  finishedAt: string | null;
}
