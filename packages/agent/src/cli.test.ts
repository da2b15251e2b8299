import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT, parseAgentArgs, runAgentCli } from './cli.js';
import { newTaskId, pidAlive, waitFor } from './executor/test-support.js';
import type { TaskRecord } from './state/task-records.js';
import { TestAgentServer } from './transport/test-grpc-server.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const TOKEN = 'cli-token-0123456789';

describe('parseAgentArgs', () => {
  it('names the flag that is wrong', () => {
    expect(parseAgentArgs(['--server', 'grpc://h:1', '--bogus'])).toMatch(/'--bogus'/);
    expect(parseAgentArgs([])).toMatch(/^--server is required/);
    expect(parseAgentArgs(['--server'])).toMatch(/--server/);
    expect(parseAgentArgs(['--server', 'grpc://h:1', '--max-tasks', 'lots'])).toMatch(/^--max-tasks: /);
    expect(parseAgentArgs(['--server', 'grpc://h:1', '--max-tasks', '0'])).toMatch(/^--max-tasks: /);
    expect(parseAgentArgs(['--server', 'grpc://h:1', 'extra'])).toMatch(/extra/);
  });

  it('maps flags to options', () => {
    expect(parseAgentArgs(['--server', 'grpcs://h:1', '--token', 'T', '--state-dir', '/s', '--hostname', 'h1', '--max-tasks', '4', '--ca-file', '/ca.pem', '--server-name', 'ops'])).toEqual({
      logLevel: 'info',
      options: { server: 'grpcs://h:1', enrollmentToken: 'T', stateDir: '/s', hostname: 'h1', maxTasks: 4, caFile: '/ca.pem', serverName: 'ops' },
    });
    expect(parseAgentArgs(['--help'])).toEqual({ help: true });
  });
});

describe('runAgentCli', () => {
  const run = async (argv: string[]) => {
    let err = '';
    const code = await runAgentCli(argv, { stdout: () => undefined, stderr: (t) => (err += t) });
    return { code, err };
  };

  it('exits 2 naming the flag for a bad value the agent checks', async () => {
    expect(await run(['--server', 'http://127.0.0.1:9090'])).toEqual({ code: EXIT.usage, err: expect.stringMatching(/^opsline-agent: --server: .*grpc:\/\//) });
    expect(await run(['--server', 'grpc://127.0.0.1:1', '--hostname', 'bad host'])).toMatchObject({ code: EXIT.usage, err: expect.stringMatching(/^opsline-agent: --hostname: /) });
    expect(await run(['--server', 'grpc://127.0.0.1:1', '--ca-file', '/x.pem'])).toMatchObject({ code: EXIT.usage, err: expect.stringMatching(/--ca-file: only applies to a grpcs/) });
  });

  it('exits 2 asking for --token when the state dir holds no identity', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'opsline-cli-'));
    try {
      expect(await run(['--server', 'grpc://127.0.0.1:1', '--state-dir', dir])).toMatchObject({ code: EXIT.usage, err: expect.stringMatching(/--token: needed to enroll/) });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('opsline-agent as a real process', () => {
  let harness: TestAgentServer;
  let root: string;
  const children: ChildProcess[] = [];

  beforeEach(async () => {
    harness = await TestAgentServer.start();
    harness.tokens.add(TOKEN);
    root = await mkdtemp(join(tmpdir(), 'opsline-cli-'));
  });
  afterEach(async () => {
    for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    harness.stop();
    await rm(root, { recursive: true, force: true });
  });

  function startProcess(args: string[]): { child: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--server', harness.address(), ...args], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exited, stderr: () => stderr };
  }

  it('exits 3 with a plain message when the token is refused', async () => {
    const p = startProcess(['--token', 'not-the-token', '--state-dir', join(root, 's')]);
    expect(await p.exited).toBe(EXIT.enrollRefused);
    expect(p.stderr()).toMatch(/opsline-agent: enrollment refused by the server: unknown or expired enrollment token/);
    expect(p.stderr()).not.toContain('not-the-token');
  });

  it('killed with SIGKILL mid-task and started again: the task is reported lost once, its processes gone; SIGTERM exits 0', async () => {
    const stateDir = join(root, 'state');
    const args = ['--state-dir', stateDir, '--hostname', `cli-${randomUUID().slice(0, 8)}`];
    const first = startProcess([...args, '--token', TOKEN]);
    const id = await waitFor(() => [...harness.agents.keys()].find((a) => harness.connected(a)), 'the agent to connect', 30_000);
    const taskId = newTaskId();
    harness.assign(id, { taskId, script: 'echo working; sleep 60 & wait', interpreter: 'bash' });
    const record = await waitFor(async () => {
      const r = JSON.parse(await readFile(join(stateDir, 'tasks', `${taskId}.json`), 'utf8').catch(() => '{}')) as Partial<TaskRecord>;
      return r.state === 'running' && harness.outputs.get(taskId) && r;
    }, 'the task to run');
    first.child.kill('SIGKILL');
    await first.exited;
    expect(harness.results.has(taskId)).toBe(false);

    // No token needed now: the identity is on disk.
    const second = startProcess(args);
    const lost = await waitFor(() => harness.results.get(taskId), 'the lost result', 30_000);
    expect(lost).toMatchObject({ status: 'TASK_STATUS_LOST', hasExitCode: false });
    expect(lost.error).toMatch(/agent restarted while the task ran/);
    expect(pidAlive(record.pid ?? 0)).toBe(false);
    // The lost result went out after the second Welcome; the restarted agent claims no running task.
    expect(harness.agent(id).hellos).toHaveLength(2);
    expect(harness.agent(id).hellos[1]?.runningTaskIds).toEqual([]);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    expect(harness.deliveries.get(taskId)).toHaveLength(1);
  });
});
