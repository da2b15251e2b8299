import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Executor } from './executor.js';
import { makeStateDir, newTaskId, waitFor } from './test-support.js';

let dirs: Awaited<ReturnType<typeof makeStateDir>>;
beforeAll(async () => {
  dirs = await makeStateDir();
});
afterAll(async () => {
  await dirs.remove();
});

/**
 * Each task marks itself running with a file (removed by its EXIT trap, so
 * before the process ends), prints how many marks it sees, then waits for
 * the gate file. The marks are an outside count of what really runs at once.
 */
const GATED = [
  'mark="$DIR/running.$OPSLINE_TASK_ID"',
  'touch "$mark"',
  "trap 'rm -f \"$mark\"' EXIT",
  'ls "$DIR" | grep -c "^running\\."',
  'while [ ! -e "$DIR/gate" ]; do sleep 0.05; done',
].join('\n');

const marks = async (dir: string) => (await readdir(dir)).filter((f) => f.startsWith('running.')).length;

describe('Executor', () => {
  it('runs 100 tasks with maxTasks 16: never more than 16 at once, the rest queued in order, all succeed', async () => {
    const dir = join(dirs.stateDir, 'hundred');
    await mkdir(dir);
    const executor = new Executor({ tmpDir: dirs.tmpDir, maxTasks: 16 });
    const ids = Array.from({ length: 100 }, newTaskId);
    const results = ids.map((taskId) => executor.run({ taskId, script: GATED, interpreter: 'bash', env: { DIR: dir } }));

    await waitFor(async () => (await marks(dir)) === 16, '16 tasks to be running');
    expect(executor.running()).toEqual(ids.slice(0, 16));
    expect(executor.queued()).toEqual(ids.slice(16));

    await writeFile(join(dir, 'gate'), '');
    const done = await Promise.all(results);
    expect(done.map((r) => r.status)).toEqual(ids.map(() => 'success'));
    expect(done.map((r) => r.taskId)).toEqual(ids);
    const seen = done.map((r) => Number(r.stdout.trim()));
    expect(Math.max(...seen)).toBeLessThanOrEqual(16);
    expect(Math.min(...seen)).toBeGreaterThanOrEqual(1);
    expect(executor.running()).toEqual([]);
    expect(await marks(dir)).toBe(0);
  });

  it('kills a queued task without starting it, and a running one with its group', async () => {
    const dir = join(dirs.stateDir, 'kill');
    await mkdir(dir);
    const executor = new Executor({ tmpDir: dirs.tmpDir, maxTasks: 1 });
    const first = newTaskId();
    const second = newTaskId();
    const running = executor.run({ taskId: first, script: GATED, interpreter: 'bash', env: { DIR: dir } });
    const queued = executor.run({ taskId: second, script: 'touch "$DIR/second-ran"', interpreter: 'bash', env: { DIR: dir } });
    await waitFor(async () => (await marks(dir)) === 1, 'the first task to run');
    expect(executor.queued()).toEqual([second]);

    expect(executor.kill(second)).toBe(true);
    expect(await queued).toMatchObject({ taskId: second, status: 'killed', startedAt: null, error: 'killed before it started' });
    expect(executor.kill(first)).toBe(true);
    expect(await running).toMatchObject({ taskId: first, status: 'killed' });
    expect(existsSync(join(dir, 'second-ran'))).toBe(false);
    expect(executor.running()).toEqual([]);
    expect(executor.queued()).toEqual([]);
  });

  it('answers false for a task it does not have, and does not start a task id twice', async () => {
    const executor = new Executor({ tmpDir: dirs.tmpDir });
    expect(executor.kill('no-such-task')).toBe(false);
    const taskId = newTaskId();
    const a = executor.run({ taskId, script: 'echo once', interpreter: 'bash' });
    const b = executor.run({ taskId, script: 'echo twice', interpreter: 'bash' });
    expect(b).toBe(a);
    expect((await a).stdout).toBe('once\n');
  });

  it('answers a task with a malformed id with a failed result, queueing nothing', async () => {
    const executor = new Executor({ tmpDir: dirs.tmpDir });
    const r = await executor.run({ taskId: '../escape', script: 'echo hi' });
    expect(r).toMatchObject({ status: 'failed', startedAt: null });
    expect(r.error).toMatch(/^invalid task: taskId: /);
    expect(executor.queued()).toEqual([]);
  });

  it('refuses a maxTasks below 1', () => {
    expect(() => new Executor({ tmpDir: dirs.tmpDir, maxTasks: 0 })).toThrow(/maxTasks/);
  });
});
