import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { TaskAssignmentInput } from '@opsline/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask, type RunTaskOptions } from './run-task.js';
import type { OutputChunk } from './task-output.js';
import { makeStateDir, newTaskId, pidAlive, waitFor } from './test-support.js';

let dirs: Awaited<ReturnType<typeof makeStateDir>>;
beforeAll(async () => {
  dirs = await makeStateDir();
});
afterAll(async () => {
  await dirs.remove();
});

type TaskFields = Omit<TaskAssignmentInput, 'taskId'>;
const run = (task: TaskFields, options: Partial<RunTaskOptions> = {}) =>
  runTask({ taskId: newTaskId(), ...task }, { tmpDir: dirs.tmpDir, ...options });

describe('runTask: scripts and their results', () => {
  it('runs echo: success, stdout, exit code 0, times, and leaves no script file behind', async () => {
    const r = await run({ script: 'echo hello', interpreter: 'bash' });
    expect(r).toMatchObject({ status: 'success', exitCode: 0, signal: null, stdout: 'hello\n', stderr: '', stdoutBytes: 6, error: null });
    expect(r.startedAt).not.toBeNull();
    expect(r.finishedAt).toBeGreaterThanOrEqual(r.startedAt ?? Infinity);
    expect(await readdir(dirs.tmpDir)).toEqual([]);
  });

  it('keeps the script private: file 0600 in a 0700 dir', async () => {
    const r = await run({ script: 'stat -c %a "$0"; stat -c %a "$(dirname "$0")"', interpreter: 'bash' });
    expect(r.stdout).toBe('600\n700\n');
  });

  it('reports a non-zero exit as failed with its code', async () => {
    const r = await run({ script: 'echo partial; exit 3', interpreter: 'bash' });
    expect(r).toMatchObject({ status: 'failed', exitCode: 3, stdout: 'partial\n', error: null });
  });

  it('captures stderr apart from stdout', async () => {
    const r = await run({ script: 'echo oops >&2; echo out', interpreter: 'sh' });
    expect(r).toMatchObject({ status: 'success', stdout: 'out\n', stderr: 'oops\n', stdoutBytes: 4, stderrBytes: 5 });
  });

  it('passes args as argv, unexpanded', async () => {
    const r = await run({
      script: 'for a in "$@"; do printf "[%s]\\n" "$a"; done',
      interpreter: 'bash',
      args: ['a b', '$HOME', '--flag', '', '*'],
    });
    expect(r.stdout).toBe('[a b]\n[$HOME]\n[--flag]\n[]\n[*]\n');
  });

  it('passes params and env as environment variables that arrive literally', async () => {
    const marker = join(dirs.stateDir, 'pwned');
    const r = await run({
      script: 'printf "%s\\n" "$OPSLINE_PARAM_CMD" "$OPSLINE_PARAM_SEMI" "$OPSLINE_PARAM_touch" "$GREETING" "$OPSLINE_TASK_ID"',
      interpreter: 'bash',
      params: { CMD: '$(rm -rf /)', SEMI: '; echo pwned', touch: `$(touch ${marker})\`touch ${marker}\`` },
      env: { GREETING: 'hi there' },
    });
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual(['$(rm -rf /)', '; echo pwned', `$(touch ${marker})\`touch ${marker}\``, 'hi there']);
    expect(lines[4]).toMatch(/^t-/);
    expect(existsSync(marker)).toBe(false);
  });

  it("does not hand the agent's own environment to tasks", async () => {
    process.env.OPSLINE_AGENT_SECRET_FOR_TEST = 'do-not-leak';
    try {
      const r = await run({ script: 'echo "${OPSLINE_AGENT_SECRET_FOR_TEST-unset} $HOME"', interpreter: 'bash' });
      expect(r.stdout).toBe(`unset ${homedir()}\n`);
    } finally {
      delete process.env.OPSLINE_AGENT_SECRET_FOR_TEST;
    }
  });

  it('runs python3 scripts with argv and params', async () => {
    const r = await run({
      script: 'import os, sys\nprint(sys.argv[1:], os.environ["OPSLINE_PARAM_NAME"])\nsys.exit(4)\n',
      interpreter: 'python3',
      args: ['a b'],
      params: { NAME: 'v' },
    });
    expect(r).toMatchObject({ status: 'failed', exitCode: 4, stdout: "['a b'] v\n" });
  });

  it('follows the #! line when no interpreter is named', async () => {
    const py = await run({ script: '#!/usr/bin/env python3\nimport sys\nprint("py", sys.argv[1:])\n', args: ['x'] });
    expect(py).toMatchObject({ status: 'success', stdout: "py ['x']\n" });
    // The rest of the line is the interpreter's argument, as the kernel has it: -e stops at `false`.
    const strict = await run({ script: '#!/bin/bash -e\nfalse\necho unreachable\n' });
    expect(strict).toMatchObject({ status: 'failed', exitCode: 1, stdout: '' });
  });

  it('runs the named interpreter, and bash without a name or #! line', async () => {
    const comm = 'cat /proc/$$/comm';
    expect((await run({ script: comm, interpreter: 'sh' })).stdout).toBe('sh\n');
    expect((await run({ script: comm, interpreter: 'bash' })).stdout).toBe('bash\n');
    expect((await run({ script: comm })).stdout).toBe('bash\n');
  });

  it('gives tasks /dev/null as stdin, so a read does not hang', async () => {
    const r = await run({ script: 'cat; echo done', interpreter: 'bash' });
    expect(r).toMatchObject({ status: 'success', stdout: 'done\n' });
  });

  it('runs in the workdir, or in the home dir by default', async () => {
    expect((await run({ script: 'pwd', workdir: dirs.stateDir })).stdout).toBe(`${dirs.stateDir}\n`);
    expect((await run({ script: 'pwd' })).stdout).toBe(`${homedir()}\n`);
  });
});

describe('runTask: tasks that cannot start', () => {
  it('refuses an unknown interpreter with a clear error, never running the script', async () => {
    const r = await run({ script: 'echo hi', interpreter: 'perl' as 'bash' });
    expect(r).toMatchObject({ status: 'failed', exitCode: null, startedAt: null, stdout: '' });
    expect(r.error).toMatch(/^invalid task: interpreter: unknown interpreter: use bash, sh or python3/);
  });

  it('names the field of bad input', async () => {
    const cases: [TaskFields, RegExp][] = [
      [{ script: 'true', timeoutSec: -1 }, /timeoutSec/],
      [{ script: 'x'.repeat(1024 * 1024 + 1) }, /script/],
      [{ script: '' }, /script/],
      [{ script: 'true', params: { 'BAD-NAME': 'x' } }, /params/],
      [{ script: 'true', args: Array.from({ length: 65 }, () => 'a') }, /args/],
      [{ script: 'true', env: { A: 'nul\0byte' } }, /env\.A: must not contain a NUL/],
      [{ script: 'true', workdir: 'relative/dir' }, /workdir: an absolute path/],
    ];
    for (const [task, field] of cases) {
      const r = await run(task);
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(field);
    }
  });

  it('says so when the workdir or the #! interpreter is missing', async () => {
    const noDir = await run({ script: 'pwd', workdir: '/nonexistent/opsline' });
    expect(noDir.error).toBe('workdir /nonexistent/opsline does not exist or is not a directory');
    const relative = await run({ script: '#!python3\nprint(1)\n' });
    expect(relative.error).toBe('the script\'s #! line must name an absolute path, got "python3"');
    const noInterp = await run({ script: '#!/nonexistent/interp\necho hi\n' });
    expect(noInterp).toMatchObject({ status: 'failed', startedAt: null, error: 'interpreter /nonexistent/interp not found on this host' });
  });
});

describe('runTask: output while running', () => {
  it('streams output before the task ends, in order, coalescing small writes', async () => {
    const gate = join(dirs.stateDir, 'gate-stream');
    const chunks: OutputChunk[] = [];
    const result = run(
      {
        script: 'for i in $(seq 1000); do echo "line $i"; done; while [ ! -e "$GATE" ]; do sleep 0.02; done; echo second >&2',
        interpreter: 'bash',
        env: { GATE: gate },
      },
      { onOutput: (c) => void chunks.push(c) },
    );
    await waitFor(() => Buffer.concat(chunks.map((c) => c.data)).toString().includes('line 1000\n'), 'the first lines to stream');
    await writeFile(gate, '');
    const r = await result;
    expect(r.status).toBe('success');
    const stdout = chunks.filter((c) => c.stream === 'stdout');
    expect(Buffer.concat(stdout.map((c) => c.data)).toString()).toBe(r.stdout);
    // 1000 writes arrive in a few chunks, not 1000.
    expect(stdout.length).toBeLessThan(50);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i + 1));
    let offset = 0;
    for (const c of stdout) {
      expect(c.offset).toBe(offset);
      offset += c.data.length;
    }
    expect(chunks.at(-1)).toMatchObject({ stream: 'stderr', offset: 0 });
  });

  it('does not wait forever for a process the script left running with its pipes', async () => {
    const pidfile = join(dirs.stateDir, 'leftover.pid');
    const r = await run(
      { script: 'sleep 300 & echo $! > "$PIDFILE"; echo started', interpreter: 'bash', env: { PIDFILE: pidfile } },
      { pipeDrainMs: 200 },
    );
    expect(r).toMatchObject({ status: 'success', stdout: 'started\n' });
    const pid = Number(await readFile(pidfile, 'utf8'));
    // Left running on purpose (a script may start a service); this test cleans it up.
    expect(pidAlive(pid)).toBe(true);
    process.kill(pid, 'SIGKILL');
    await waitFor(() => !pidAlive(pid), 'the leftover sleep to go');
  });
});
