import { z } from 'zod';
import { JobStrategyOverride, JobTargets } from '@opsline/contracts';
import type { StepContext, StepResult, StepType } from './types.js';

const Params = z.strictObject({
  templateId: z.uuid(),
  params: z.record(z.string().max(128), z.string().max(32 * 1024)).optional(),
  targets: JobTargets.optional(),
  strategy: JobStrategyOverride.optional(),
});

/** Runs a job run and waits for it; success only when every host succeeded. Shared with the inline-script step. */
export async function runJob(ctx: StepContext, body: Parameters<StepContext['jobs']['start']>[0]): Promise<StepResult> {
  let runId = typeof ctx.previous?.jobRunId === 'string' ? ctx.previous.jobRunId : null;
  if (!runId) {
    runId = (await ctx.jobs.start(body, ctx.userId, `workflow run ${ctx.runId} (${ctx.userName})`)).id;
    await ctx.note({ jobRunId: runId });
  }
  const run = await ctx.jobs.ended(runId);
  return {
    status: run.status === 'success' ? 'success' : 'failed',
    output: { jobRunId: run.id, jobStatus: run.status, counts: run.counts },
    ...(run.status !== 'success' && { error: `job run ${run.status}${run.reason ? `: ${run.reason}` : ''}` }),
  };
}

export const jobStep: StepType<z.infer<typeof Params>> = {
  type: 'job',
  title: 'Job template',
  description: 'Runs a job template (parameters, targets and strategy may be overridden) and waits for it: the step succeeds when every host did.',
  params: Params,
  run: (ctx, p) => runJob(ctx, { templateId: p.templateId, ...(p.params && { params: p.params }), ...(p.targets && { targets: p.targets }), ...(p.strategy && { strategy: p.strategy }) }),
};
