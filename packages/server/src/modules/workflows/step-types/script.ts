import { z } from 'zod';
import { JobStrategyOverride, JobTargets, ScriptLanguage } from '@opsline/contracts';
import { runJob } from './job.js';
import type { StepType } from './types.js';

const Params = z.strictObject({
  language: ScriptLanguage,
  content: z.string().min(1).max(1024 * 1024),
  targets: JobTargets,
  strategy: JobStrategyOverride.optional(),
});

export const scriptStep: StepType<z.infer<typeof Params>> = {
  type: 'script',
  title: 'Inline script',
  description: 'Runs a script written in the step on the target hosts (guarded like any job run) and waits for it.',
  params: Params,
  run: (ctx, p) => runJob(ctx, { inline: { language: p.language, content: p.content }, name: `${ctx.stepKey} (workflow)`, targets: p.targets, ...(p.strategy && { strategy: p.strategy }) }),
};
