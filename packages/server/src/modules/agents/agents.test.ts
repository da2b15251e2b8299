import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import type { AgentView, ExecTaskView, HostView } from '@opsline/contracts';

const REPO = fileURLToPath(new URL('../../../../../', import.meta.url));
const AGENT_MAIN = join(REPO, 'packages/agent/src/main.ts');

/** A real agent process (the CLI, from source through tsx), with its own state dir. */
interface AgentProcess {
  child: ChildProcess;
  stateDir: string;
  output: () => string;
  exited: Promise<number | null>;
}

describe('agents and remote execution (real agent processes over gRPC)', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort: number;
  const running: AgentProcess[] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    for (const a of running) a.child.kill('SIGKILL');
    await Promise.all(running.map((a) => a.exited));
    for (const a of running) rmSync(a.stateDir, { recursive: true, force: true });
    await t.close();
  });

  function startAgent(args: string[], stateDir = mkdtempSync(join(tmpdir(), 'opsline-agent-test-'))): AgentProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', AGENT_MAIN, '--server', `grpc://127.0.0.1:${grpcPort}`, '--state-dir', stateDir, '--log-level', 'debug', ...args], {
      cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const a = { child, stateDir, output: () => out, exited };
    running.push(a);
    return a;
  }

  async function token(nodeId: string, maxUses = 5): Promise<string> {
    const res = await f.admin().post('/api/v1/agents/enrollment-tokens', { name: 'test', expiresInSec: 3600, maxUses, nodeId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ token: string }>().token;
  }

  const agentNamed = async (hostname: string): Promise<AgentView | undefined> =>
    (await f.admin().get(`/api/v1/agents?q=${hostname}`)).json<{ items: AgentView[] }>().items.find((a) => a.hostname === hostname);

  async function finished(taskId: string): Promise<ExecTaskView> {
    return waitFor(async () => {
      const task = (await f.admin().get(`/api/v1/exec/tasks/${taskId}`)).json<ExecTaskView>();
      return ['queued', 'running'].includes(task.status) ? undefined : task;
    }, { timeoutMs: 30_000, what: `task ${taskId} to finish` });
  }

  it('enrolls an agent with a token: the host enters the CMDB on the token\'s leaf with its facts, and runs scripts', async () => {
    const [, leaf] = await f.chain('agt.node-01', null, { leaf: true });
    const agent = startAgent(['--token', await token(leaf?.id ?? ''), '--hostname', 'agent-host-01']);
    const online = await waitFor(async () => {
      const a = await agentNamed('agent-host-01');
      return a?.status === 'online' ? a : undefined;
    }, { timeoutMs: 30_000, what: `agent online (output: ${agent.output()})` });
    const host = (await f.admin().get(`/api/v1/hosts/${online.hostId}`)).json<HostView>();
    expect(host).toMatchObject({ hostname: 'agent-host-01', source: 'agent', status: 'online', nodes: [{ path: 'agt.node-01' }] });
    expect(host.ips.length).toBeGreaterThan(0);
    expect(host.memoryMb).toBeGreaterThan(0);
    expect(agent.output()).not.toMatch(/ole_/);

    const started = await f.admin().post('/api/v1/exec', { hostIds: [host.id], script: 'echo "hello $1 from $OPSLINE_PARAM_WHO"', args: ['world'], params: { WHO: '$(id)' } });
    expect(started.statusCode, started.body).toBe(202);
    const [taskId] = started.json<{ taskIds: string[] }>().taskIds;
    expect(await finished(taskId ?? '')).toMatchObject({ status: 'success', exitCode: 0, stdout: 'hello world from $(id)\n', hostname: 'agent-host-01' });

    const failing = (await f.admin().post('/api/v1/exec', { hostIds: [host.id], script: 'echo oops >&2; exit 3' })).json<{ taskIds: string[] }>();
    expect(await finished(failing.taskIds[0] ?? '')).toMatchObject({ status: 'failed', exitCode: 3, stderr: 'oops\n' });
  });

  /** One enrolled agent process on its own leaf, online, and its host. */
  async function enrolled(hostname: string, extra: string[] = []): Promise<{ agent: AgentProcess; host: HostView; view: AgentView }> {
    const [, leaf] = await f.chain(`${hostname}-tree.leaf`, null, { leaf: true });
    const agent = startAgent(['--token', await token(leaf?.id ?? ''), '--hostname', hostname, ...extra]);
    const view = await waitFor(async () => {
      const a = await agentNamed(hostname);
      return a?.status === 'online' ? a : undefined;
    }, { timeoutMs: 30_000, what: `agent ${hostname} online` });
    return { agent, view, host: (await f.admin().get(`/api/v1/hosts/${view.hostId}`)).json<HostView>() };
  }
  const exec = async (body: Record<string, unknown>): Promise<string> => {
    const res = await f.admin().post('/api/v1/exec', body);
    expect(res.statusCode, res.body).toBe(202);
    return res.json<{ taskIds: string[] }>().taskIds[0] ?? '';
  };
  const pidGone = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return false;
    } catch {
      return true;
    }
  };

  it('times a task out and kills one on request, grandchildren included', async () => {
    const { host } = await enrolled('agent-kill');
    const timedOut = await finished(await exec({ hostIds: [host.id], script: 'sleep 300 & echo $!; wait', timeoutSec: 1 }));
    expect(timedOut.status).toBe('timeout');
    const grandchild = Number(timedOut.stdout.trim());
    expect(grandchild).toBeGreaterThan(1);
    await waitFor(() => pidGone(grandchild), { timeoutMs: 10_000, what: `pid ${grandchild} gone` });

    const id = await exec({ hostIds: [host.id], script: 'echo started; sleep 300 & wait' });
    await waitFor(async () => (await f.admin().get(`/api/v1/exec/tasks/${id}`)).json<ExecTaskView>().stdout.includes('started'), { timeoutMs: 15_000, what: 'task running' });
    const kill = await f.admin().post(`/api/v1/exec/tasks/${id}/kill`, {});
    expect(kill.statusCode, kill.body).toBe(200);
    expect(await finished(id)).toMatchObject({ status: 'killed' });
  });

  it('runs 100 tasks at once on one agent', { timeout: 120_000 }, async () => {
    const { host } = await enrolled('agent-busy', ['--max-tasks', '16']);
    const ids = await Promise.all(Array.from({ length: 100 }, (_, i) => exec({ hostIds: [host.id], script: `echo task-${i}` })));
    // One at a time: a hundred pollers at once would only compete with the agent for the database.
    const done: ExecTaskView[] = [];
    for (const id of ids) done.push(await finished(id));
    expect(done.map((d) => d.status)).toEqual(Array.from({ length: 100 }, () => 'success'));
    expect(done.map((d) => d.stdout)).toEqual(Array.from({ length: 100 }, (_, i) => `task-${i}\n`));
  });

  it('refuses a wrong enrollment token: the agent says so and exits', async () => {
    const agent = startAgent(['--token', 'ole_not-a-real-token', '--hostname', 'agent-bad-token']);
    expect(await agent.exited).toBe(3);
    expect(agent.output()).toMatch(/unknown, expired or used up/);
    expect(await agentNamed('agent-bad-token')).toBeUndefined();
  });

  it('cuts off a revoked agent at once and refuses it from then on', async () => {
    const [, leaf] = await f.chain('agt-rev.node', null, { leaf: true });
    const agent = startAgent(['--token', await token(leaf?.id ?? ''), '--hostname', 'agent-revoked']);
    const a = await waitFor(async () => {
      const found = await agentNamed('agent-revoked');
      return found?.status === 'online' ? found : undefined;
    }, { timeoutMs: 30_000, what: 'agent online' });
    const revoked = await f.admin().post(`/api/v1/agents/${a.id}/revoke`, {});
    expect(revoked.json()).toMatchObject({ status: 'revoked' });
    expect(await agent.exited).not.toBe(0);
    expect(agent.output()).toMatch(/revoked/);
    // The same identity, started again, is refused.
    const again = startAgent(['--hostname', 'agent-revoked'], agent.stateDir);
    expect(await again.exited).not.toBe(0);
    const exec = await f.admin().post('/api/v1/exec', { hostIds: [a.hostId], script: 'true' });
    expect(exec.json().error.code).toBe('EXEC_NO_EXECUTOR');
  });

  it('answers bad exec input with the field', async () => {
    const host = await f.host('exec-bad-input', []);
    const cases: [unknown, string][] = [
      [{ hostIds: [host.id], script: 'true', interpreter: 'perl' }, 'body.interpreter'],
      [{ hostIds: [host.id], script: 'x'.repeat(10 * 1024 * 1024) }, 'body.script'],
      [{ hostIds: [host.id], script: 'true', timeoutSec: -1 }, 'body.timeoutSec'],
      [{ hostIds: [], script: 'true' }, 'body.hostIds'],
    ];
    for (const [body, field] of cases) {
      const res = await f.admin().post('/api/v1/exec', body);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(400);
      expect(res.json().error.details.issues.map((i: { field: string }) => i.field)).toContain(field);
    }
  });
});
