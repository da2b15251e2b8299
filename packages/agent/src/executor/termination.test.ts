import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskAssignmentInput } from '@opsline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask, type RunTaskOptions } from './run-task.js';
import { makeStateDir, newTaskId, pidAlive, waitFor } from './test-support.js';

let dirs: Awaited<ReturnType<typeof makeStateDir>>;
beforeAll(async () => {
  dirs = await makeStateDir();
});
afterAll(async () => {
  await dirs.remove();
});

const run = (task: Omit<TaskAssignmentInput, 'taskId'>, options: Partial<RunTaskOptions> = {}) =>
  runTask({ taskId: newTaskId(), ...task }, { tmpDir: dirs.tmpDir, ...options });

/** The pid a script wrote to `file`, once it is there. */
const pidFrom = (file: string) =>
  waitFor(async () => {
    const text = await readFile(file, 'utf8').catch(() => '');
    return text.endsWith('\n') ? Number(text) : undefined;
  }, `a pid in ${file}`);

// A background grandchild that holds the task's pipes: only a group kill ends it.
const GRANDCHILD = 'sleep 300 & echo $! > "$PIDFILE"; wait';

describe('runTask: timeout and kill reach the whole process group', () => {
  it('on timeout, SIGTERMs the group: the grandchild sleep is gone when the result arrives', async () => {
    const pidfile = join(dirs.stateDir, 'timeout.pid');
    const r = await run({ script: GRANDCHILD, interpreter: 'bash', timeoutSec: 1, env: { PIDFILE: pidfile } });
    expect(r).toMatchObject({ status: 'timeout', exitCode: null, signal: 'SIGTERM', error: 'timed out after 1 s' });
    expect(pidAlive(await pidFrom(pidfile))).toBe(false);
  });

  it('SIGKILLs a group that ignores SIGTERM once the grace period is over', async () => {
    const pidfile = join(dirs.stateDir, 'stubborn.pid');
    const r = await run(
      { script: `trap '' TERM; ${GRANDCHILD}`, interpreter: 'bash', timeoutSec: 1, env: { PIDFILE: pidfile } },
      { killGraceMs: 300 },
    );
    expect(r).toMatchObject({ status: 'timeout', signal: 'SIGKILL' });
    expect(pidAlive(await pidFrom(pidfile))).toBe(false);
  });

  it('kills on request (abort): status killed, grandchild gone', async () => {
    const pidfile = join(dirs.stateDir, 'kill.pid');
    const controller = new AbortController();
    const result = run({ script: GRANDCHILD, interpreter: 'bash', env: { PIDFILE: pidfile } }, { signal: controller.signal });
    const pid = await pidFrom(pidfile);
    expect(pidAlive(pid)).toBe(true);
    controller.abort();
    const r = await result;
    expect(r).toMatchObject({ status: 'killed', exitCode: null, signal: 'SIGTERM', error: 'killed on request' });
    expect(pidAlive(pid)).toBe(false);
  });

  it('kills a python script and the process it started (seed 5.7)', async () => {
    const pidfile = join(dirs.stateDir, 'python.pid');
    const controller = new AbortController();
    const result = run(
      {
        script: [
          'import os, subprocess',
          'p = subprocess.Popen(["sleep", "300"])',
          'open(os.environ["PIDFILE"], "w").write(f"{p.pid}\\n")',
          'p.wait()',
        ].join('\n'),
        interpreter: 'python3',
        env: { PIDFILE: pidfile },
      },
      { signal: controller.signal },
    );
    const pid = await pidFrom(pidfile);
    controller.abort();
    expect((await result).status).toBe('killed');
    expect(pidAlive(pid)).toBe(false);
  });

  it('does not start a task whose signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const r = await run({ script: 'echo never', interpreter: 'bash' }, { signal: controller.signal });
    expect(r).toMatchObject({ status: 'killed', startedAt: null, stdout: '', error: 'killed before it started' });
  });
});
