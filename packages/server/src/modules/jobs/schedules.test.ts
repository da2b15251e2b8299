import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobTemplateView, Page, ScheduleFireView, ScheduleView, ScriptView } from '@opsline/contracts';
import { buildTestApp, jobFixtures, treeFixtures, type Fleet, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';

describe('schedules on an injected clock, firing real runs', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort = 0;
  const j = jobFixtures(() => t, () => f, () => grpcPort);
  let fleet: Fleet;
  let quick: JobTemplateView;
  let slow: JobTemplateView;

  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
    t.clock.set('2026-11-22T01:00:00.000Z');
    fleet = await j.fleet('sched', 1);
    const template = async (name: string, content: string) => {
      const s = (await f.admin().post('/api/v1/scripts', { name, language: 'bash', content })).json<ScriptView>();
      const res = await f.admin().post('/api/v1/job-templates', { name, scriptId: s.id, params: {}, targets: { hostIds: [fleet.hosts[0]?.id] } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json<JobTemplateView>();
    };
    quick = await template('sched-quick', 'true');
    slow = await template('sched-slow', 'sleep 300');
  }, 120_000);
  afterAll(async () => {
    await j.stopAll();
    await t.close();
  });

  const create = async (body: Record<string, unknown>): Promise<ScheduleView> => {
    const res = await f.admin().post('/api/v1/schedules', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ScheduleView>();
  };
  const fires = async (id: string): Promise<ScheduleFireView[]> => (await f.admin().get(`/api/v1/schedules/${id}/fires`)).json<Page<ScheduleFireView>>().items.reverse();

  it('shows the next five fires in its time zone and refuses a bad pattern or zone, naming the field', async () => {
    const s = await create({ name: 'weekday mornings', templateId: quick.id, cron: '0 30 9 * * 1-5', timezone: 'Asia/Shanghai', enabled: false });
    expect(s.nextFires).toEqual([]);
    const on = (await f.admin().patch(`/api/v1/schedules/${s.id}`, { enabled: true })).json<ScheduleView>();
    // 2026-11-22 is a Sunday: Monday 09:30 in Shanghai is 01:30 UTC.
    expect(on.nextFires.slice(0, 2)).toEqual(['2026-11-23T01:30:00.000Z', '2026-11-24T01:30:00.000Z']);
    expect(on.nextFires).toHaveLength(5);
    const preview = await f.admin().get(`/api/v1/schedules/preview?cron=${encodeURIComponent('*/20 * * * * *')}&timezone=UTC`);
    expect(preview.json<{ nextFires: string[] }>().nextFires.slice(0, 2)).toEqual(['2026-11-22T01:00:20.000Z', '2026-11-22T01:00:40.000Z']);
    for (const [body, field] of [[{ cron: 'every day' }, 'body.cron'], [{ cron: '* * * * *', timezone: 'Mars/Olympus' }, 'body.timezone']] as const) {
      const res = await f.admin().post('/api/v1/schedules', { name: 'bad', templateId: quick.id, ...body });
      expect(res.statusCode).toBe(400);
      expect(JSON.stringify(res.json())).toContain(field);
    }
    await f.admin().del(`/api/v1/schedules/${s.id}`);
  });

  it('fires on the clock, and skips a fire while its last run still goes (overlap: skip)', { timeout: 60_000 }, async () => {
    const s = await create({ name: 'every ten seconds', templateId: slow.id, cron: '*/10 * * * * *', overlap: 'skip' });
    t.clock.advance(10_000);
    await t.app.jobs.tickSchedules();
    const [first] = await fires(s.id);
    expect(first).toMatchObject({ outcome: 'started', scheduledAt: '2026-11-22T01:00:10.000Z' });
    await j.runWhen(first?.runId ?? '', (r) => r.counts.running === 1, 'its host running');
    t.clock.advance(10_000);
    await t.app.jobs.tickSchedules();
    expect((await fires(s.id)).map((x) => x.outcome)).toEqual(['started', 'skipped_overlap']);
    // Nothing fires twice for one tick, however often the loop looks.
    await t.app.jobs.tickSchedules();
    expect(await fires(s.id)).toHaveLength(2);
    await j.act(first?.runId ?? '', 'kill');
    await j.ended(first?.runId ?? '');
    await f.admin().patch(`/api/v1/schedules/${s.id}`, { enabled: false });
  });

  it('queues a fire while its last run goes (overlap: queue) and starts it when that run ends', { timeout: 60_000 }, async () => {
    const s = await create({ name: 'queued', templateId: slow.id, cron: '*/10 * * * * *', overlap: 'queue' });
    t.clock.advance(10_000);
    await t.app.jobs.tickSchedules();
    const [first] = await fires(s.id);
    await j.runWhen(first?.runId ?? '', (r) => r.counts.running === 1, 'its host running');
    t.clock.advance(10_000);
    await t.app.jobs.tickSchedules();
    expect((await fires(s.id)).map((x) => x.outcome)).toEqual(['started', 'queued']);
    await f.admin().patch(`/api/v1/schedules/${s.id}`, { cron: '0 0 0 1 1 *' });
    await j.act(first?.runId ?? '', 'kill');
    await j.ended(first?.runId ?? '');
    const third = await waitFor(async () => {
      await t.app.jobs.tickSchedules();
      const all = await fires(s.id);
      return all.length === 3 ? all[2] : undefined;
    }, { timeoutMs: 15_000, what: 'the queued fire to start' });
    expect(third).toMatchObject({ outcome: 'started' });
    await j.act(third?.runId ?? '', 'kill');
    await f.admin().patch(`/api/v1/schedules/${s.id}`, { enabled: false });
  });

  it('after downtime runs a missed schedule once (misfire: run_once) or not at all (misfire: skip)', { timeout: 60_000 }, async () => {
    const once = await create({ name: 'hourly once', templateId: quick.id, cron: '0 0 * * * *', misfire: 'run_once' });
    const skip = await create({ name: 'hourly skip', templateId: quick.id, cron: '0 0 * * * *', misfire: 'skip' });
    // Five hours with no server: five fires missed.
    t.clock.advance(5 * 3_600_000);
    await t.app.jobs.tickSchedules();
    const onceFires = await fires(once.id);
    expect(onceFires.map((x) => x.outcome)).toEqual(['started']);
    expect((await fires(skip.id)).map((x) => x.outcome)).toEqual(['skipped_misfire']);
    // (Its host counts as offline now: five hours passed on the injected clock since its last heartbeat.)
    expect(await j.run(onceFires[0]?.runId ?? '')).toMatchObject({ name: 'sched-quick', total: 1 });
    // Both wait for the next hour from now, not the missed ones.
    const view = (await f.admin().get(`/api/v1/schedules/${once.id}`)).json<ScheduleView>();
    expect(Date.parse(view.nextFires[0] ?? '')).toBeGreaterThan(t.clock.now().getTime());
  });
});
