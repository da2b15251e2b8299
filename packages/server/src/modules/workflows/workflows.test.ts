import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepTypeView, WorkflowRunView, WorkflowView } from '@opsline/contracts';
import { buildTestApp, jobFixtures, treeFixtures, type Fleet, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';

describe('workflows: a DAG of steps over real agents', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort = 0;
  const j = jobFixtures(() => t, () => f, () => grpcPort);
  let fleet: Fleet;
  let hook: Server;
  let hookUrl = '';
  const received: { method: string; url: string; body: string }[] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
    fleet = await j.fleet('wf', 1);
    // A real HTTP peer for the http step: /fail answers 500, anything else 204; it keeps what it got.
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.writeHead(req.url === '/fail' ? 500 : 204).end();
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    const addr = hook.address();
    hookUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  }, 120_000);
  afterAll(async () => {
    await j.stopAll();
    hook.close();
    await t.close();
  });

  const script = (content: string) => ({ language: 'bash', content, targets: { hostIds: [fleet.hosts[0]?.id] } });
  async function workflow(name: string, steps: unknown[]): Promise<WorkflowView> {
    const res = await f.admin().post('/api/v1/workflows', { name, steps });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<WorkflowView>();
  }
  async function run(workflowId: string, as = f.admin()): Promise<WorkflowRunView> {
    const res = await as.post('/api/v1/workflow-runs', { workflowId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<WorkflowRunView>();
  }
  const get = async (id: string) => (await f.admin().get(`/api/v1/workflow-runs/${id}`)).json<WorkflowRunView>();
  const until = (id: string, ok: (r: WorkflowRunView) => boolean, what: string) =>
    waitFor(async () => {
      const r = await get(id);
      return ok(r) ? r : undefined;
    }, { timeoutMs: 30_000, what });
  const step = (r: WorkflowRunView, key: string) => r.steps.find((s) => s.key === key);

  it('lists the installed step types with their parameter schemas', async () => {
    const types = (await f.admin().get('/api/v1/step-types')).json<{ items: StepTypeView[] }>().items;
    expect(types.map((x) => x.type)).toEqual(['job', 'script', 'http', 'wait', 'approval', 'condition']);
    expect(types.find((x) => x.type === 'http')?.params).toMatchObject({ type: 'object', properties: { url: { type: 'string' } } });
  });

  it('shows a running step with what it noted so far (a wait step\'s end), not an error', async () => {
    const wf = await workflow('long nap', [{ key: 'nap', name: 'Nap', type: 'wait', params: { seconds: 3600 } }]);
    const r = await run(wf.id);
    const seen = await waitFor(async () => {
      const res = await f.admin().get(`/api/v1/workflow-runs/${r.id}`);
      expect(res.statusCode, res.body).toBe(200);
      const nap = step(res.json<WorkflowRunView>(), 'nap');
      return nap?.status === 'running' && typeof nap.output?.until === 'number' && nap;
    }, { what: 'the wait step running with its end noted' });
    expect(Array.isArray(seen.output)).toBe(false);
  });

  it('refuses a cycle, an unknown type, bad parameters and needs naming no step, each by its field', async () => {
    const bad = async (steps: unknown[], field: string) => {
      const res = await f.admin().post('/api/v1/workflows', { name: 'bad', steps });
      expect(res.statusCode, res.body).toBe(400);
      expect(JSON.stringify(res.json())).toContain(field);
    };
    await bad([{ key: 'a', name: 'A', type: 'wait', params: { seconds: 1 }, needs: ['b'] }, { key: 'b', name: 'B', type: 'wait', params: { seconds: 1 }, needs: ['a'] }], 'cycle: a → b → a');
    await bad([{ key: 'a', name: 'A', type: 'teleport' }], 'body.steps.0.type');
    await bad([{ key: 'a', name: 'A', type: 'http', params: { url: 'ftp://example.org/x' } }], 'body.steps.0.params.url');
    await bad([{ key: 'a', name: 'A', type: 'wait', params: { seconds: 1 } }, { key: 'b', name: 'B', type: 'wait', params: { seconds: 1 }, needs: ['zzz'] }], 'body.steps.1.needs.0');
    await bad([{ key: 'a', name: 'A', type: 'wait', params: { seconds: 1 } }, { key: 'c', name: 'C', type: 'condition', params: { step: 'a', outcome: 'failed' } }], 'add it to needs');
  });

  it('waits at an approval step for a named approver, then goes on; a rejection stops it', { timeout: 60_000 }, async () => {
    const approver = await t.userWithRoles(['viewer']);
    const wf = await workflow('release', [
      { key: 'build', name: 'Build', type: 'script', params: script('echo built') },
      { key: 'ok', name: 'Go ahead?', type: 'approval', params: { approvers: [approver.id], message: 'ship it?' }, needs: ['build'] },
      { key: 'deploy', name: 'Deploy', type: 'script', params: script('echo deployed'), needs: ['ok'] },
    ]);
    const r = await run(wf.id);
    const waiting = await until(r.id, (x) => x.status === 'waiting', 'waiting for approval');
    expect(step(waiting, 'build')).toMatchObject({ status: 'success' });
    expect(step(waiting, 'ok')).toMatchObject({ status: 'waiting', output: { message: 'ship it?' } });
    expect(step(waiting, 'deploy')).toMatchObject({ status: 'pending' });
    // The admin is not a named approver.
    expect((await f.admin().post(`/api/v1/workflow-runs/${r.id}/steps/ok/approve`, {})).statusCode).toBe(403);
    const yes = await f.as(approver.token).post(`/api/v1/workflow-runs/${r.id}/steps/ok/approve`, { comment: 'looks good' });
    expect(yes.statusCode, yes.body).toBe(200);
    const done = await until(r.id, (x) => x.status === 'success', 'the run to succeed');
    expect(step(done, 'ok')?.output).toMatchObject({ decision: 'approve', by: approver.username, comment: 'looks good' });
    expect(step(done, 'deploy')?.output).toMatchObject({ jobStatus: 'success' });

    const second = await run(wf.id);
    await until(second.id, (x) => x.status === 'waiting', 'waiting again');
    await f.as(approver.token).post(`/api/v1/workflow-runs/${second.id}/steps/ok/reject`, { comment: 'not today' });
    const rejected = await until(second.id, (x) => x.status === 'rejected', 'the rejection');
    expect(step(rejected, 'deploy')).toMatchObject({ status: 'skipped' });
  });

  it('resumes a failed run from its failed step: what succeeded is not run again', { timeout: 60_000 }, async () => {
    const flag = join(mkdtempSync(join(tmpdir(), 'opsline-wf-')), 'fixed');
    const wf = await workflow('fix and go on', [
      { key: 'a', name: 'First', type: 'script', params: script('true') },
      { key: 'b', name: 'Flaky', type: 'script', params: script(`[ -e ${flag} ]`), needs: ['a'] },
      { key: 'c', name: 'Last', type: 'script', params: script('true'), needs: ['b'] },
    ]);
    const r = await run(wf.id);
    const failed = await until(r.id, (x) => x.status === 'failed', 'the failure');
    expect(failed.steps.map((s) => s.status)).toEqual(['success', 'failed', 'skipped']);
    writeFileSync(flag, '');
    expect((await f.admin().post(`/api/v1/workflow-runs/${r.id}/resume`, {})).statusCode).toBe(200);
    const done = await until(r.id, (x) => x.status === 'success', 'the resumed run');
    expect(done.steps.map((s) => [s.key, s.status, s.attempt])).toEqual([['a', 'success', 1], ['b', 'success', 2], ['c', 'success', 1]]);
  });

  it('runs on a schedule (cron on the injected clock), and a bad schedule target is named', { timeout: 60_000 }, async () => {
    const wf = await workflow('scheduled wait', [{ key: 'nap', name: 'Nap', type: 'wait', params: { seconds: 1 } }]);
    const s = await f.admin().post('/api/v1/schedules', { name: 'nightly flow', workflowId: wf.id, cron: '0 0 3 * * *', timezone: 'UTC' });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json<{ targetName: string; workflowId: string }>()).toMatchObject({ targetName: 'scheduled wait', workflowId: wf.id });
    const both = await f.admin().post('/api/v1/schedules', { name: 'x', workflowId: wf.id, templateId: wf.id, cron: '0 0 3 * * *' });
    expect(both.statusCode).toBe(400);
    const ghost = await f.admin().post('/api/v1/schedules', { name: 'x', workflowId: '0190d1e2-0000-7000-8000-000000000000', cron: '0 0 3 * * *' });
    expect(ghost.statusCode).toBe(404);
    expect(JSON.stringify(ghost.json())).toContain('body.workflowId');
    t.clock.set(new Date(Date.parse((s.json<{ nextFires: string[] }>().nextFires[0] ?? '')) + 1000));
    await t.app.jobs.tickSchedules();
    const fires = (await f.admin().get(`/api/v1/schedules/${s.json<{ id: string }>().id}/fires`)).json<{ items: { outcome: string; runId: string }[] }>().items;
    expect(fires).toHaveLength(1);
    expect(fires[0]?.outcome).toBe('started');
    expect(await until(fires[0]?.runId ?? '', (x) => x.status === 'success', 'the scheduled workflow run')).toMatchObject({ workflowId: wf.id });
  });

  it('handles a failure with a condition: an HTTP check fails, the failure branch notifies, the other is skipped', { timeout: 60_000 }, async () => {
    const wf = await workflow('check and tell', [
      { key: 'check', name: 'Health check', type: 'http', params: { url: `${hookUrl}/fail` } },
      { key: 'bad', name: 'If it failed', type: 'condition', params: { step: 'check', outcome: 'failed' }, needs: ['check'] },
      { key: 'tell', name: 'Notify', type: 'http', params: { method: 'POST', url: `${hookUrl}/notify`, body: 'health check failed' }, needs: ['bad'] },
      { key: 'good', name: 'If it passed', type: 'condition', params: { step: 'check', outcome: 'success' }, needs: ['check'] },
      { key: 'ship', name: 'Ship', type: 'wait', params: { seconds: 1 }, needs: ['good'] },
    ]);
    const r = await run(wf.id);
    const done = await until(r.id, (x) => !['running', 'waiting'].includes(x.status), 'the run to end');
    expect(done.status).toBe('success');
    expect(Object.fromEntries(done.steps.map((s) => [s.key, s.status]))).toEqual({ check: 'failed', bad: 'success', tell: 'success', good: 'skipped', ship: 'skipped' });
    expect(step(done, 'check')?.output).toMatchObject({ status: 500 });
    expect(received.some((x) => x.method === 'POST' && x.url === '/notify' && x.body === 'health check failed')).toBe(true);
  });
});
