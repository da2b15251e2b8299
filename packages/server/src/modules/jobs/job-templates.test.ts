import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobRunHostView, JobTemplateView, ScriptView } from '@opsline/contracts';
import { buildTestApp, jobFixtures, treeFixtures, type Fleet, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import { rowsOf } from '../../platform/db/db.js';

const CANARY = 'canary-7f3e9b1d-job-secret';

describe('job templates: library scripts, secret parameters, the guard, per-host exclusivity', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort = 0;
  const j = jobFixtures(() => t, () => f, () => grpcPort);
  let fleet: Fleet;

  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
    fleet = await j.fleet('tpl', 3);
  }, 120_000);
  afterAll(async () => {
    await j.stopAll();
    await t.close();
  });

  async function script(name: string, content: string, params: unknown[] = []): Promise<ScriptView> {
    const res = await f.admin().post('/api/v1/scripts', { name, language: 'bash', content, params });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ScriptView>();
  }

  it('runs a template with a secret parameter: the value works on the host but is stored nowhere in the clear', { timeout: 60_000 }, async () => {
    const s = await script('print-token', 'echo "token=$OPSLINE_PARAM_TOKEN mode=$OPSLINE_PARAM_MODE"; echo "again $OPSLINE_PARAM_TOKEN" >&2', [
      { name: 'TOKEN', type: 'string', secret: true, required: true },
      { name: 'MODE', type: 'enum', options: ['fast', 'slow'], default: 'fast' },
    ]);
    const created = await f.admin().post('/api/v1/job-templates', {
      name: 'token printer', scriptId: s.id, params: { TOKEN: CANARY }, targets: { hostIds: fleet.hosts.slice(0, 2).map((h) => h.id) }, strategy: { concurrency: 2 },
    });
    expect(created.statusCode, created.body).toBe(201);
    const tpl = created.json<JobTemplateView>();
    expect(tpl.params).toEqual({ TOKEN: '' });

    const run = await j.start({ templateId: tpl.id });
    expect(await j.ended(run.id)).toMatchObject({ status: 'success', scriptId: s.id, scriptVersion: 1, counts: { success: 2 } });
    const out = await j.output(run.id, fleet.hosts[0]?.id ?? '');
    expect(out.stdout).toBe('token=****** mode=fast\n');
    expect(out.stderr).toBe('again ******\n');

    // The template keeps its secret when changed without it; a bad enum value is refused, naming the field.
    const bad = await f.admin().patch(`/api/v1/job-templates/${tpl.id}`, { params: { TOKEN: '', MODE: 'medium' } });
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('body.params.MODE');
    expect((await f.admin().patch(`/api/v1/job-templates/${tpl.id}`, { params: { TOKEN: '', MODE: 'slow' } })).statusCode).toBe(200);
    const again = await j.start({ templateId: tpl.id });
    await j.ended(again.id);
    expect((await j.output(again.id, fleet.hosts[0]?.id ?? '')).stdout).toBe('token=****** mode=slow\n');

    // Missing a required value when the run has none: 400 naming it.
    const noToken = await f.admin().post('/api/v1/job-runs', { script: { scriptId: s.id }, targets: { hostIds: [fleet.hosts[0]?.id] } });
    expect(noToken.statusCode).toBe(400);
    expect(JSON.stringify(noToken.json())).toContain('body.params.TOKEN');

    const tables = rowsOf<{ tablename: string }>(await t.app.platform.db.execute(sql`select tablename from pg_tables where schemaname = 'public'`));
    for (const { tablename } of tables) {
      const dump = JSON.stringify(rowsOf(await t.app.platform.db.execute(sql`select * from ${sql.identifier(tablename)}`)));
      expect(dump, tablename).not.toContain(CANARY);
    }
    expect(t.logs.join('\n')).not.toContain(CANARY);
  });

  it('blocks a script the guard forbids, with a denied audit record, and holds one needing approval until someone else approves', { timeout: 60_000 }, async () => {
    const target = { hostIds: [fleet.hosts[0]?.id] };
    const blocked = await f.admin().post('/api/v1/job-runs', { name: 'wipe', inline: { language: 'bash', content: 'echo start\nrm -rf /\n' }, targets: target });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json<{ error: { code: string } }>().error.code).toBe('GUARD_BLOCKED');
    const audit = (await f.admin().get('/api/v1/audit?action=job.run.start&result=denied')).json<{ items: { errorCode: string }[] }>().items;
    expect(audit.some((a) => a.errorCode === 'GUARD_BLOCKED')).toBe(true);

    const held = await j.start({ name: 'reboot it', inline: { language: 'bash', content: 'echo would reboot # shutdown -r now' }, targets: target });
    expect(held).toMatchObject({ status: 'pending' });
    expect(held.reason).toMatch(/approval/);
    expect((await j.act(held.id, 'approve')).statusCode).toBe(403);
    const approver = await t.userWithRoles(['admin']);
    const ok = await f.as(approver.token).post(`/api/v1/job-runs/${held.id}/approve`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(await j.ended(held.id)).toMatchObject({ status: 'success' });
  });

  it('runs an exclusive template on a host one run at a time: the second waits for the first', { timeout: 60_000 }, async () => {
    const s = await script('slow-exclusive', 's=$(date +%s%N); sleep 0.5; echo "$s $(date +%s%N)"');
    const tpl = (
      await f.admin().post('/api/v1/job-templates', { name: 'exclusive', scriptId: s.id, params: {}, targets: { hostIds: [fleet.hosts[2]?.id] }, strategy: { exclusive: true } })
    ).json<JobTemplateView>();
    const first = await j.start({ templateId: tpl.id });
    const second = await j.start({ templateId: tpl.id });
    await waitFor(async () => (await j.hosts(second.id)).some((h: JobRunHostView) => h.status === 'waiting'), { timeoutMs: 15_000, what: 'the second run waiting for the host' });
    await j.ended(first.id);
    expect(await j.ended(second.id)).toMatchObject({ status: 'success' });
    const span = async (id: string) => (await j.output(id, fleet.hosts[2]?.id ?? '')).stdout.trim().split(' ').map(Number);
    const [, end1] = await span(first.id);
    const [start2] = await span(second.id);
    expect(start2).toBeGreaterThanOrEqual(end1 ?? 0);
  });
});
