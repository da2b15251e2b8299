import type { z } from 'zod';
import type { FastifyBaseLogger } from 'fastify';
import type { JobsModule } from '../../jobs/index.js';

/** What a step did. `waiting`: it waits for people (an approval); the run goes on when they answer. */
export type StepResult =
  | { status: 'success' | 'failed' | 'skipped'; output?: Record<string, unknown>; error?: string }
  | { status: 'waiting'; output?: Record<string, unknown> };

/** What a running step may use. */
export interface StepContext {
  runId: string;
  stepKey: string;
  /** Who started the workflow run: steps act as them (job:run on the hosts, …). */
  userId: string;
  userName: string;
  /** Outcomes of the steps before it, by key. */
  outcomes: Record<string, { status: string; output: Record<string, unknown> | null }>;
  /** What this step recorded before a server restart (a job step's run id), to carry on rather than start again. */
  previous: Record<string, unknown> | null;
  /** Records output while the step runs (kept across a restart). */
  note(output: Record<string, unknown>): Promise<void>;
  jobs: JobsModule;
  log: FastifyBaseLogger;
  /** Aborted when the server stops: a step waits no longer. */
  signal: AbortSignal;
}

/**
 * A step type (a plugin): one file implementing this, registered in
 * step-types/index.ts. `params` checks a step's parameters when the workflow
 * is saved (errors name `body.steps.N.params.<field>`), and its JSON Schema is
 * what the plugin page shows.
 */
export interface StepType<P = unknown> {
  type: string;
  title: string;
  description: string;
  params: z.ZodType<P>;
  /** Keys of upstream steps the parameters refer to (a condition's step): they must be among the step's needs. */
  refersTo?(params: P): string[];
  /** Runs even when a step it needs did not succeed (conditions do; every other type is skipped). */
  runsAfterFailure?: boolean;
  run(ctx: StepContext, params: P): Promise<StepResult>;
}
