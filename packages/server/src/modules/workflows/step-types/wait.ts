import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { StepType } from './types.js';

const Params = z.strictObject({ seconds: z.number().int().min(1).max(7 * 86_400) });

export const waitStep: StepType<z.infer<typeof Params>> = {
  type: 'wait',
  title: 'Wait',
  description: 'Waits a number of seconds (a cool-down between batches, time for caches to settle).',
  params: Params,
  async run(ctx, p) {
    const until = typeof ctx.previous?.until === 'number' ? ctx.previous.until : Date.now() + p.seconds * 1000;
    if (!ctx.previous) await ctx.note({ until });
    await sleep(Math.max(0, until - Date.now()), undefined, { signal: ctx.signal });
    return { status: 'success', output: { until } };
  },
};
