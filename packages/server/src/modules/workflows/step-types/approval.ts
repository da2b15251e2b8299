import { z } from 'zod';
import type { StepType } from './types.js';

const Params = z.strictObject({
  /** User ids who may answer; anyone holding workflow:run when empty. */
  approvers: z.array(z.uuid()).max(50).default([]),
  /** What the approvers are asked. */
  message: z.string().max(2000).default(''),
});

/** Waits for a person: approve (the run goes on) or reject (it stops), each with a comment, through the API. */
export const approvalStep: StepType<z.infer<typeof Params>> = {
  type: 'approval',
  title: 'Manual approval',
  description: 'Waits until one of the named approvers approves (the workflow goes on) or rejects (it stops), with a comment.',
  params: Params,
  run: (_ctx, p) => Promise.resolve({ status: 'waiting', output: { approvers: p.approvers, message: p.message } }),
};
