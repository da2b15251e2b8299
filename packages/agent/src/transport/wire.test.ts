import { OUTPUT_TAIL_BYTES, type TaskResult } from '@opsline/contracts';
import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';
import { fromWireAssign, tailBytes, toWireResult } from './wire.js';

describe('wire conversions', () => {
  it('maps a result: no exit code → has_exit_code false, nulls → empty/0, tails as bytes', () => {
    const r: TaskResult = { taskId: 't', status: 'killed', exitCode: null, signal: 'SIGTERM', stdout: 'ß', stderr: '', stdoutBytes: 2, stderrBytes: 0, startedAt: null, finishedAt: 9, error: null };
    expect(toWireResult(r)).toEqual({
      taskId: 't', status: 'TASK_STATUS_KILLED', exitCode: 0, hasExitCode: false, signal: 'SIGTERM', stdoutTail: Buffer.from('ß'), stderrTail: Buffer.alloc(0),
      stdoutTotalBytes: 2, stderrTotalBytes: 0, startedAtUnixMs: 0, finishedAtUnixMs: 9, error: '',
    });
    expect(toWireResult({ ...r, status: 'success', exitCode: 0 })).toMatchObject({ status: 'TASK_STATUS_SUCCESS', exitCode: 0, hasExitCode: true });
  });

  it('keeps a re-encoded tail within 1 MiB, cut on a character boundary', () => {
    // Binary output decoded to U+FFFD grows threefold when encoded again.
    const bytes = tailBytes('\uFFFD'.repeat(OUTPUT_TAIL_BYTES));
    expect(bytes.length).toBeLessThanOrEqual(OUTPUT_TAIL_BYTES);
    expect(bytes.length % 3).toBe(0);
    expect(bytes.toString('utf8')).toBe('\uFFFD'.repeat(bytes.length / 3));
  });

  it('reads proto3 empty values in a TaskAssign as "not given"', () => {
    const task = fromWireAssign({ taskId: 't', script: 'echo', interpreter: '', args: [], env: {}, params: {}, runAs: '', workdir: '', timeoutSec: 0 });
    expect(task).toEqual({ taskId: 't', script: 'echo', interpreter: undefined, args: [], env: {}, params: {}, runAs: undefined, workdir: undefined, timeoutSec: undefined });
  });
});

describe('Backoff', () => {
  it('grows exponentially with jitter between half and all of the step, capped, and resets', () => {
    const low = new Backoff(500, 30_000, () => 0);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => low.next())).toEqual([250, 500, 1000, 2000, 4000, 8000, 15000, 15000]);
    const high = new Backoff(500, 30_000, () => 1);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => high.next())).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    high.reset();
    expect(high.next()).toBe(500);
  });
});
