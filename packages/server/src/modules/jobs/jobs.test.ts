import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobDashboard } from '@opsline/contracts';
import { buildTestApp, jobFixtures, treeFixtures, type Fleet, type TestApp } from '@opsline/test-utils';

/** Most hosts running at once, from each host's own start and end times (nanoseconds, printed by the script). */
function maxOverlap(spans: [number, number][]): number {
  const edges = spans.flatMap(([s, e]) => [[s, 1], [e, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, d] of edges) most = Math.max(most, (now += d));
  return most;
}

const TIMED = 's=$(date +%s%N); sleep 0.3; e=$(date +%s%N); echo "$s $e"';

describe('job runs over a fleet of real agents', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort = 0;
  const j = jobFixtures(() => t, () => f, () => grpcPort);
  let fleet: Fleet;
  const inline = (content: string) => ({ language: 'bash', content });

  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
    fleet = await j.fleet('jobs', 10);
  }, 120_000);
  afterAll(async () => {
    await j.stopAll();
    await t.close();
  });

  it('never runs more hosts at once than the concurrency (3 of 10), by the hosts\' own clocks', { timeout: 60_000 }, async () => {
    const run = await j.start({ inline: inline(TIMED), name: 'three at a time', targets: { nodeIds: [fleet.nodeId] }, strategy: { concurrency: 3 } });
    expect(run).toMatchObject({ total: 10, status: 'running' });
    const done = await j.ended(run.id);
    expect(done).toMatchObject({ status: 'success', counts: { success: 10 } });
    const spans: [number, number][] = [];
    for (const h of await j.hosts(run.id)) {
      const [s, e] = (await j.output(run.id, h.hostId)).stdout.trim().split(' ').map(Number);
      spans.push([s ?? 0, e ?? 0]);
    }
    expect(maxOverlap(spans)).toBeLessThanOrEqual(3);
    expect(maxOverlap(spans)).toBeGreaterThanOrEqual(2);
  });

  it('pauses after the first batch until resumed', { timeout: 60_000 }, async () => {
    const hosts = fleet.hosts.slice(0, 4).map((h) => h.id);
    const run = await j.start({ inline: inline('true'), targets: { hostIds: hosts }, strategy: { concurrency: 2, batchPause: true } });
    const paused = await j.runWhen(run.id, (r) => r.status === 'paused', 'paused after the first batch');
    expect(paused.counts).toMatchObject({ success: 2, pending: 2 });
    expect(paused.reason).toMatch(/first batch/);
    expect((await j.act(run.id, 'resume')).statusCode).toBe(200);
    expect(await j.ended(run.id)).toMatchObject({ status: 'success', counts: { success: 4 } });
  });

  it('aborts after the first failure with onError=abort: the rest are skipped, the run failed', { timeout: 60_000 }, async () => {
    const run = await j.start({ inline: inline('exit 3'), targets: { hostIds: fleet.hosts.slice(0, 4).map((h) => h.id) }, strategy: { concurrency: 1, onError: 'abort' } });
    const done = await j.ended(run.id);
    expect(done).toMatchObject({ status: 'failed', counts: { failed: 1, skipped: 3 } });
    expect(done.reason).toMatch(/aborted: jobs-0 ended failed/);
    expect((await j.hosts(run.id, '&status=skipped')).every((h) => /not started/.test(h.error ?? ''))).toBe(true);
  });

  it('aborts once the share of failed hosts passes maxFailureRatio', { timeout: 60_000 }, async () => {
    // jobs-1 and jobs-2 fail: 1 of 2 is not over 0.5, 2 of 3 is.
    const script = 'case "$OPSLINE_HOST" in jobs-1|jobs-2) exit 1;; esac';
    const run = await j.start({ inline: inline(script), targets: { hostIds: fleet.hosts.slice(0, 5).map((h) => h.id) }, strategy: { concurrency: 1, maxFailureRatio: 0.5 } });
    const done = await j.ended(run.id);
    expect(done).toMatchObject({ status: 'failed', counts: { success: 1, failed: 2, skipped: 2 } });
    expect(done.reason).toMatch(/2 of 3 finished hosts failed/);
  });

  it('pauses at a failure with onError=pause, and goes on when resumed', { timeout: 60_000 }, async () => {
    const run = await j.start({ inline: inline('[ "$OPSLINE_HOST" != jobs-1 ]'), targets: { hostIds: fleet.hosts.slice(0, 4).map((h) => h.id) }, strategy: { concurrency: 1, onError: 'pause' } });
    const paused = await j.runWhen(run.id, (r) => r.status === 'paused', 'paused at the failure');
    expect(paused.reason).toMatch(/jobs-1 ended failed/);
    expect(paused.counts).toMatchObject({ success: 1, failed: 1, pending: 2 });
    await j.act(run.id, 'resume');
    expect(await j.ended(run.id)).toMatchObject({ status: 'partial', counts: { success: 3, failed: 1 } });
  });

  it('kills every running host, marks the ones not started, and retries only the failed ones', { timeout: 60_000 }, async () => {
    const run = await j.start({ inline: inline('sleep 300'), targets: { hostIds: fleet.hosts.slice(0, 6).map((h) => h.id) }, strategy: { concurrency: 4 } });
    await j.runWhen(run.id, (r) => r.counts.running === 4, 'four running');
    const kill = await j.act(run.id, 'kill');
    expect(kill.statusCode, kill.body).toBe(200);
    const done = await j.ended(run.id);
    expect(done).toMatchObject({ status: 'killed', counts: { killed: 6 } });

    // jobs-2 fails the first time only (it leaves a flag for its second attempt).
    const flag = join(mkdtempSync(join(tmpdir(), 'opsline-retry-')), 'failed-once');
    const mixed = await j.start({ inline: inline(`[ "$OPSLINE_HOST" != jobs-2 ] || [ -e ${flag} ] || { touch ${flag}; exit 4; }`), targets: { hostIds: fleet.hosts.slice(0, 4).map((h) => h.id) }, strategy: { concurrency: 4 } });
    expect(await j.ended(mixed.id)).toMatchObject({ status: 'partial', counts: { success: 3, failed: 1 } });
    expect((await j.act(mixed.id, 'retry-failed')).statusCode).toBe(200);
    expect(await j.ended(mixed.id)).toMatchObject({ status: 'success', counts: { success: 4 } });
    const attempts = Object.fromEntries((await j.hosts(mixed.id)).map((h) => [h.hostname, h.attempt]));
    expect(attempts).toEqual({ 'jobs-0': 1, 'jobs-1': 1, 'jobs-2': 2, 'jobs-3': 1 });
  });

  it('skips a host that is offline without stalling the run', { timeout: 60_000 }, async () => {
    const offline = await f.host('jobs-offline-01', [fleet.nodeId], { ips: ['192.0.2.55'] });
    const run = await j.start({ inline: inline('true'), targets: { nodeIds: [fleet.nodeId] }, strategy: { concurrency: 5 } });
    const done = await j.ended(run.id);
    expect(done).toMatchObject({ status: 'partial', total: 11, counts: { success: 10, skipped: 1 } });
    const [skipped] = await j.hosts(run.id, '&status=skipped');
    expect(skipped).toMatchObject({ hostId: offline.id, hostname: 'jobs-offline-01' });
    expect(skipped?.error).toMatch(/offline/);
    // Filter by part of the hostname or IP.
    expect((await j.hosts(run.id, '&q=192.0.2.55')).map((h) => h.hostname)).toEqual(['jobs-offline-01']);
    await f.admin().del(`/api/v1/hosts/${offline.id}`);
  });

  it('streams the run as it goes, and ends the stream when the run ends', { timeout: 60_000 }, async () => {
    const run = await j.start({ inline: inline('sleep 0.3'), targets: { hostIds: fleet.hosts.slice(0, 4).map((h) => h.id) }, strategy: { concurrency: 2 } });
    const res = await t.call({ method: 'GET', url: `/api/v1/job-runs/${run.id}/stream`, token: t.adminToken });
    expect(res.headers['content-type']).toMatch(/text\/event-stream/);
    const views = res.body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => JSON.parse(l.slice(6)) as { status: string; counts: { success: number } });
    expect(views.length).toBeGreaterThanOrEqual(2);
    expect(views.at(-1)).toMatchObject({ status: 'success', counts: { success: 4 } });
    expect(views.some((v) => v.status === 'running')).toBe(true);
  });

  it('sums the runs up on the dashboard: today, 7 days, slowest hosts, agents online', async () => {
    await j.ended((await j.start({ inline: inline('true'), targets: { hostIds: [fleet.hosts[0]?.id] } })).id);
    const res = await f.admin().get('/api/v1/job-dashboard?tz=Asia/Shanghai');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json<JobDashboard>();
    expect(d.days).toHaveLength(7);
    expect(d.today.runs).toBeGreaterThan(0);
    expect(d.today.success + d.today.failed + d.today.partial + d.today.killed).toBeLessThanOrEqual(d.today.runs);
    expect(d.days.at(-1)?.runs).toBe(d.today.runs);
    expect(d.slowestHosts.length).toBeGreaterThan(0);
    expect(d.slowestHosts.every((h) => h.hostname.startsWith('jobs-'))).toBe(true);
    expect(d.agents.online).toBe(10);
    const bad = await f.admin().get('/api/v1/job-dashboard?tz=Moon/Base');
    expect(bad.statusCode).toBe(400);
    expect(JSON.stringify(bad.json())).toContain('query.tz');
  });

  it('answers bad run input with the field: no source, unknown host, strategy out of range', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await f.admin().post('/api/v1/job-runs', body);
      expect(res.statusCode, res.body).toBe(400);
      return JSON.stringify(res.json());
    };
    expect(await bad({ targets: { hostIds: [fleet.hosts[0]?.id] } })).toContain('body.templateId');
    expect(await bad({ inline: inline('true'), targets: { hostIds: [] } })).toContain('body.targets');
    expect(await bad({ inline: inline('true'), targets: { hostIds: [fleet.hosts[0]?.id] }, strategy: { concurrency: '150%' } })).toContain('body.strategy.concurrency');
    expect(await bad({ inline: inline('true'), targets: { hostIds: [fleet.hosts[0]?.id] }, strategy: { maxFailureRatio: 2 } })).toContain('body.strategy.maxFailureRatio');
    const unknown = await f.admin().post('/api/v1/job-runs', { inline: inline('true'), targets: { hostIds: ['0190d1e2-0000-7000-8000-000000000000'] } });
    expect(unknown.statusCode).toBe(404);
    expect(JSON.stringify(unknown.json())).toContain('body.targets.hostIds');
  });

  it('refuses a viewer, and a user allowed on another node', async () => {
    const viewer = await t.userWithRoles(['viewer']);
    const res = await f.as(viewer.token).post('/api/v1/job-runs', { inline: inline('true'), targets: { hostIds: [fleet.hosts[0]?.id] } });
    expect(res.statusCode).toBe(403);
    const [, other] = await f.chain('jobs-elsewhere.leaf', null, { leaf: true });
    const op = await f.grantedOn('operator', other?.id ?? '');
    const refused = await f.as(op.token).post('/api/v1/job-runs', { inline: inline('true'), targets: { hostIds: [fleet.hosts[0]?.id] } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json<{ error: { details: { permission: string } } }>().error.details.permission).toBe('job:run');
  });
});
