import { z } from 'zod';
import type { StepType } from './types.js';

/** The body kept of a response: enough to read, never the server's memory. */
const BODY_KEPT = 4096;

const Params = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
  url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name').max(128), z.string().max(4096)).default({}),
  body: z.string().max(1024 * 1024).optional(),
  timeoutSec: z.number().int().min(1).max(300).default(30),
  /** Statuses that count as success; any 2xx without it. */
  expectStatus: z.array(z.number().int().min(100).max(599)).max(20).optional(),
});

export const httpStep: StepType<z.infer<typeof Params>> = {
  type: 'http',
  title: 'HTTP request',
  description: 'Sends an HTTP request (a deploy hook, a health check); succeeds on a 2xx or one of the expected statuses. Keeps the status and the first 4 KiB of the answer.',
  params: Params,
  async run(ctx, p) {
    const timeout = AbortSignal.timeout(p.timeoutSec * 1000);
    try {
      const res = await fetch(p.url, { method: p.method, headers: p.headers, body: p.body, redirect: 'manual', signal: AbortSignal.any([timeout, ctx.signal]) });
      const text = (await res.text()).slice(0, BODY_KEPT);
      const ok = p.expectStatus ? p.expectStatus.includes(res.status) : res.status >= 200 && res.status < 300;
      return { status: ok ? 'success' : 'failed', output: { status: res.status, body: text }, ...(!ok && { error: `answered ${res.status}` }) };
    } catch (err) {
      return { status: 'failed', error: timeout.aborted ? `no answer within ${p.timeoutSec}s` : `request failed: ${err instanceof Error ? err.message : String(err)}` };
    }
  },
};
