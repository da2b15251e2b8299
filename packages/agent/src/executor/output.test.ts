import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from './run-task.js';
import type { OutputChunk } from './task-output.js';
import { makeStateDir, newTaskId, waitFor } from './test-support.js';

const MiB = 1024 * 1024;

let dirs: Awaited<ReturnType<typeof makeStateDir>>;
beforeAll(async () => {
  dirs = await makeStateDir();
});
afterAll(async () => {
  await dirs.remove();
});

describe('runTask: bounded output', () => {
  it('keeps the last 1 MiB of 300 MiB and counts it all, without growing memory', async () => {
    const total = 300 * MiB;
    let delivered = 0;
    let nextOffset = 0;
    let contiguous = true;
    let biggest = 0;
    const baseline = process.memoryUsage.rss();
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
    const r = await runTask(
      { taskId: newTaskId(), script: `head -c ${total} /dev/zero | tr '\\0' 'x'; printf END`, interpreter: 'bash' },
      {
        tmpDir: dirs.tmpDir,
        onOutput: (c) => {
          contiguous &&= c.offset === nextOffset;
          nextOffset = c.offset + c.data.length;
          delivered += c.data.length;
          biggest = Math.max(biggest, c.data.length);
        },
      },
    ).finally(() => clearInterval(sampler));
    peak = Math.max(peak, process.memoryUsage.rss());

    expect(r.status).toBe('success');
    expect(r.stdoutBytes).toBe(total + 3);
    expect(r.stdout.length).toBe(MiB);
    expect(r.stdout.endsWith('xxxEND')).toBe(true);
    expect(r.stdout.slice(0, -3)).toMatch(/^x+$/);
    // A sink that keeps up gets every byte, in order, in chunks of at most 64 KiB.
    expect(delivered).toBe(total + 3);
    expect(contiguous).toBe(true);
    expect(biggest).toBeLessThanOrEqual(64 * 1024);
    // Measured here: ~40 MiB, which is bare Node's own floor for reading 300 MiB
    // from a pipe (read buffers freed at the next GC); the executor adds its
    // two 1 MiB rings. A leak would show hundreds of MiB.
    expect(peak - baseline).toBeLessThan(64 * MiB);
  });

  it('drops the oldest unsent output for a slow sink, marks the gap by offset, and still delivers the end', async () => {
    const total = 8 * MiB;
    const done = join(dirs.stateDir, 'written');
    const chunks: OutputChunk[] = [];
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    const result = runTask(
      {
        taskId: newTaskId(),
        script: `head -c ${total} /dev/zero | tr '\\0' 'y'; touch "$DONE"`,
        interpreter: 'bash',
        env: { DONE: done },
      },
      {
        tmpDir: dirs.tmpDir,
        // Busy until released: the first delivery stalls while the task writes everything.
        onOutput: (c) => {
          chunks.push(c);
          return released;
        },
      },
    );
    await waitFor(() => existsSync(done), 'the task to finish writing');
    release();
    const r = await result;

    expect(r).toMatchObject({ status: 'success', stdoutBytes: total });
    expect(r.stdout.length).toBe(MiB);
    const delivered = chunks.reduce((n, c) => n + c.data.length, 0);
    expect(delivered).toBeLessThan(2 * MiB);
    expect(chunks[0]?.offset).toBe(0);
    expect(chunks[1]?.offset).toBeGreaterThan((chunks[0]?.data.length ?? 0));
    const last = chunks.at(-1);
    expect((last?.offset ?? 0) + (last?.data.length ?? 0)).toBe(total);
  });

  it('keeps running the task and its result when the sink fails', async () => {
    const r = await runTask(
      { taskId: newTaskId(), script: 'echo one; echo two >&2', interpreter: 'bash' },
      {
        tmpDir: dirs.tmpDir,
        onOutput: () => {
          throw new Error('stream closed');
        },
      },
    );
    expect(r).toMatchObject({ status: 'success', stdout: 'one\n', stderr: 'two\n' });
  });
});
