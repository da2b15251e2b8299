import { z } from 'zod';
import type { StepType } from './types.js';

const Params = z.strictObject({
  /** The upstream step looked at (it must be among this step's needs). */
  step: z.string().min(1).max(40),
  /** Go on when it ended so; otherwise this step and those after it are skipped. */
  outcome: z.enum(['success', 'failed']),
});

/** Branches on an earlier step's outcome: `failed` lets a workflow handle a failure (notify, roll back) instead of stopping. */
export const conditionStep: StepType<z.infer<typeof Params>> = {
  type: 'condition',
  title: 'Condition',
  description: 'Goes on only when an earlier step ended with the given outcome (success or failed); otherwise the steps after it are skipped.',
  params: Params,
  refersTo: (p) => [p.step],
  runsAfterFailure: true,
  run(ctx, p) {
    const seen = ctx.outcomes[p.step]?.status;
    return Promise.resolve(seen === p.outcome ? { status: 'success', output: { step: p.step, was: seen } } : { status: 'skipped', output: { step: p.step, was: seen ?? null } });
  },
};
