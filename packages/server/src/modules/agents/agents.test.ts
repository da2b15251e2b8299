import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import type { ExecRunTask, ExecRunView, ExecStarted, ExecTaskView, HostView, Page } from '@opsline/contracts';
import { agentFixtures } from './agents.fixtures.js';

describe('agents and remote execution (real agent processes over gRPC)', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort: number;
  const { startAgent, token, agentNamed, enrolled, exec, finished, stopAll } = agentFixtures(() => t, () => f, () => grpcPort);

  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    await stopAll();
    await t.close();
  });

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

  it('follows a run across hosts: counts by status while it runs, then its tasks a page at a time, for those allowed on every host', async () => {
    const a = await enrolled('agent-run-a');
    const b = await enrolled('agent-run-b');
    const flag = join(mkdtempSync(join(tmpdir(), 'opsline-run-')), 'go');
    // Waits for the flag, then prints a NUL (PostgreSQL text cannot hold one) and more than the list keeps of a task's output.
    const script = `while [ ! -e "$1" ]; do sleep 0.05; done; printf 'a\\0b'; head -c 5000 /dev/zero | tr '\\0' y`;
    const started = await f.admin().post('/api/v1/exec', { hostIds: [a.host.id, b.host.id], script, args: [flag] });
    expect(started.statusCode, started.body).toBe(202);
    const { runId, taskIds } = started.json<ExecStarted>();
    expect(taskIds).toHaveLength(2);
    const run = async (): Promise<ExecRunView> => (await f.admin().get(`/api/v1/exec/runs/${runId}`)).json<ExecRunView>();
    const waiting = await waitFor(async () => ((await run()).counts.running === 2 ? run() : undefined), { timeoutMs: 15_000, what: 'both tasks running' });
    expect(waiting).toMatchObject({ id: runId, total: 2, done: 0, finishedAt: null });

    writeFileSync(flag, '');
    const over = await waitFor(async () => {
      const r = await run();
      return r.done === 2 ? r : undefined;
    }, { timeoutMs: 15_000, what: 'the run to finish' });
    expect(over).toMatchObject({ total: 2, done: 2, counts: { success: 2, running: 0, queued: 0, failed: 0 } });
    expect(over.finishedAt).not.toBeNull();

    const first = (await f.admin().get(`/api/v1/exec/runs/${runId}/tasks?limit=1`)).json<Page<ExecRunTask>>();
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).not.toBeNull();
    const second = (await f.admin().get(`/api/v1/exec/runs/${runId}/tasks?limit=1&cursor=${first.nextCursor ?? ''}`)).json<Page<ExecRunTask>>();
    expect(second).toMatchObject({ items: [{ runId }], nextCursor: null });
    const both = [...first.items, ...second.items];
    expect(both.map((x) => x.hostname).sort()).toEqual(['agent-run-a', 'agent-run-b']);
    for (const item of both) expect(item).toMatchObject({ status: 'success', outputCut: true, stdout: 'y'.repeat(2000), stdoutBytes: 5003 });
    expect((await finished(taskIds[0] ?? '')).stdout.slice(0, 3)).toBe('a\u2400b');
    expect((await f.admin().get(`/api/v1/exec/runs/${runId}/tasks?status=failed`)).json<Page<ExecRunTask>>().items).toEqual([]);

    // An operator on host a's node may follow a's task, but not a run that also reached b.
    const operator = await f.grantedOn('operator', a.host.nodes[0]?.id ?? '');
    const asOperator = f.as(operator.token);
    expect((await asOperator.get(`/api/v1/exec/tasks/${taskIds.find((id) => both.find((x) => x.id === id)?.hostname === 'agent-run-a') ?? ''}`)).statusCode).toBe(200);
    const refused = await asOperator.get(`/api/v1/exec/runs/${runId}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: { details: { permission: string } } }>().error.details.permission).toBe('exec:run');
    expect((await f.admin().get('/api/v1/exec/runs/0190d1e2-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('streams a task\'s output as it prints, then its end', async () => {
    const { host } = await enrolled('agent-stream');
    const id = await exec({ hostIds: [host.id], script: 'echo first; sleep 0.5; echo second' });
    const res = await t.call({ method: 'GET', url: `/api/v1/exec/tasks/${id}/stream`, token: t.adminToken });
    const events = res.body.split('\n').filter((l) => l.startsWith('event: ')).map((l) => l.slice(7));
    expect(events[0]).toBe('task');
    expect(events).toContain('output');
    expect(events.at(-1)).toBe('end');
    const end = JSON.parse(res.body.trim().split('\n').at(-1)?.slice(6) ?? '{}') as ExecTaskView;
    expect(end).toMatchObject({ status: 'success', stdout: 'first\nsecond\n' });
  });

  it('runs a script as another user, created here with useradd', async () => {
    const user = 'opsline-runas-test';
    if (spawnSync('id', [user]).status !== 0) expect(spawnSync('useradd', ['--system', '--no-create-home', user]).status).toBe(0);
    const { host } = await enrolled('agent-runas');
    const done = await finished(await exec({ hostIds: [host.id], script: 'id -un', runAs: user }));
    expect(done).toMatchObject({ status: 'success', stdout: `${user}\n` });
  });

  it('holds a task\'s output in neither the server nor the agent: each grows by a small part of it while it prints 1 GiB', { timeout: 120_000 }, async () => {
    const { host, agent } = await enrolled('agent-chatty');
    const agentRss = (): number => Number(/^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${agent.child.pid}/status`, 'utf8'))?.[1]) * 1024;
    const before = { server: process.memoryUsage().rss, agent: agentRss() };
    const peak = { ...before };
    const sampler = setInterval(() => {
      peak.server = Math.max(peak.server, process.memoryUsage().rss);
      peak.agent = Math.max(peak.agent, agentRss());
    }, 20);
    try {
      const done = await finished(await exec({ hostIds: [host.id], script: 'head -c 1073741824 /dev/zero | tr "\\0" x; echo; echo end' }));
      expect(done.status).toBe('success');
      expect(done.stdoutBytes).toBe(1_073_741_824 + 5);
      expect(done.stdout.endsWith('x\nend\n')).toBe(true);
      expect(done.stdout.length).toBeLessThanOrEqual(1024 * 1024);
    } finally {
      clearInterval(sampler);
    }
    // Peaks, garbage not yet collected included: V8's young generation alone may hold tens of MiB of it, and Node 24
    // sizes it larger than Node 20 (seen here: Node 20 server 23–40 MiB, agent 35–50 MiB; Node 24 server up to 123 MiB).
    // Holding the output would take over 1,024 MiB. The server is this test process.
    expect((peak.server - before.server) / 2 ** 20).toBeLessThan(256);
    expect((peak.agent - before.agent) / 2 ** 20).toBeLessThan(256);
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
