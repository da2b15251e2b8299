import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView, OncallAnswer, OncallScheduleView, OncallShift, OncallShifts, OverrideView, Page } from '@opsline/contracts';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { daily, oncallFixtures } from './oncall.fixtures.js';

const BASE = '/api/v1/schedules/oncall';
const SH = 'Asia/Shanghai';

describe('on-call schedules through the API', () => {
  let t: TestApp;
  let o: ReturnType<typeof oncallFixtures>;
  let ana: { id: string; username: string };
  let bo: { id: string; username: string };
  let owl: { id: string; username: string };
  let xen: { id: string; username: string };
  let s: OncallScheduleView;

  /** Day layer 09:00 handoffs (ana, bo), night layer above it 20:00–08:00 (owl), in Shanghai (UTC+8) from Monday 1 June 2026. */
  const dayAndNight = () => ({
    timeZone: SH,
    layers: [
      { name: 'day', userIds: [ana.id, bo.id], rotation: daily('09:00', '2026-06-01') },
      { name: 'night', userIds: [owl.id], rotation: daily('20:00', '2026-06-01'), restrictions: [{ from: '20:00', to: '08:00' }] },
    ],
  });
  const who = async (id: string, at: string): Promise<OncallShift[]> => {
    const res = await o.admin().get(`${BASE}/${id}/oncall?at=${at}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<OncallAnswer>().users;
  };
  const brief = (x: OncallShift): string => `${x.username.split('-')[0]}@${x.layer ?? 'override'} ${x.start.slice(5, 16)}–${x.end.slice(5, 16)}`;

  beforeAll(async () => {
    t = await buildTestApp();
    o = oncallFixtures(t);
    ana = await o.user('ana');
    bo = await o.user('bo');
    owl = await o.user('owl');
    xen = await o.user('xen');
    t.clock.set('2026-06-01T03:00:00Z');
    s = await o.schedule(dayAndNight());
  });
  afterAll(() => t.close());

  it('answers GET /api/v1/schedules/oncall with the on-call list, beside the job center\'s schedules', async () => {
    const list = await o.admin().get(BASE);
    expect(list.statusCode, list.body).toBe(200);
    expect(list.json<Page<OncallScheduleView>>().items.map((x) => x.id)).toContain(s.id);
    expect((await o.admin().get('/api/v1/schedules')).statusCode).toBe(200);
    const missing = '01900000-0000-7000-8000-000000000000';
    expect(o.refusal(await o.admin().get(`${BASE}/${missing}`)).code).toBe('ONCALL_SCHEDULE_NOT_FOUND');
    expect(o.refusal(await o.admin().get(`/api/v1/schedules/${missing}`)).code).toBe('SCHEDULE_NOT_FOUND');
  });

  it('shows the layers with their names and who is on call now', async () => {
    const got = (await o.admin().get(`${BASE}/${s.id}`)).json<OncallScheduleView>();
    expect(got.layers.map((l) => [l.name, l.restrictions.length])).toEqual([['day', 0], ['night', 1]]);
    // 11:00 in Shanghai on the first day: ana's day shift.
    expect(got.onCallNow).toEqual([{ userId: ana.id, username: ana.username }]);
  });

  it('answers who is on call at a time, from which layer and for which stretch', async () => {
    expect((await who(s.id, '2026-06-01T03:00:00Z')).map(brief)).toEqual(['ana@0 06-01T01:00–06-01T12:00']);
    expect((await who(s.id, '2026-06-01T14:00:00Z')).map(brief)).toEqual(['owl@1 06-01T12:00–06-02T00:00']);
    expect((await who(s.id, '2026-06-02T00:30:00Z')).map(brief)).toEqual(['ana@0 06-02T00:00–06-02T01:00']);
    expect((await who(s.id, '2026-06-02T01:00:00Z')).map((x) => x.userId)).toEqual([bo.id]);
    // Before either layer's first handoff: nobody.
    expect(await who(s.id, '2026-06-01T00:30:00Z')).toEqual([]);
    // No `at`: the clock's now.
    t.clock.set('2026-06-01T14:00:00Z');
    expect((await o.admin().get(`${BASE}/${s.id}/oncall`)).json<OncallAnswer>().users.map((x) => x.userId)).toEqual([owl.id]);
    expect(await t.app.oncall.onCallAt(s.id, new Date('2026-06-02T02:00:00Z'))).toEqual([bo.id]);
  });

  it('lists a week of shifts for the calendar, and an override cuts in until it is removed', async () => {
    const week = async () => (await o.admin().get(`${BASE}/${s.id}/shifts?from=2026-06-01T00:00:00Z&to=2026-06-08T00:00:00Z`)).json<OncallShifts>().shifts;
    const before = await week();
    expect(before).toHaveLength(20);
    expect(before.slice(0, 5).map(brief)).toEqual([
      'ana@0 06-01T01:00–06-01T12:00', 'owl@1 06-01T12:00–06-02T00:00', 'ana@0 06-02T00:00–06-02T01:00', 'bo@0 06-02T01:00–06-02T12:00', 'owl@1 06-02T12:00–06-03T00:00',
    ]);
    expect(before.filter((x) => x.layer === 1).every((x) => x.userId === owl.id)).toBe(true);

    const res = await o.admin().post(`${BASE}/${s.id}/overrides`, { userId: xen.id, start: '2026-06-03T02:00:00Z', end: '2026-06-03T04:00:00Z' });
    expect(res.statusCode, res.body).toBe(201);
    const override = res.json<OverrideView>();
    expect((await who(s.id, '2026-06-03T03:00:00Z')).map((x) => [x.userId, x.override, x.overrideId])).toEqual([[xen.id, true, override.id]]);
    const during = await week();
    expect(during.slice(6, 9).map(brief)).toEqual(['ana@0 06-03T01:00–06-03T02:00', 'xen@override 06-03T02:00–06-03T04:00', 'ana@0 06-03T04:00–06-03T12:00']);
    const listed = (await o.admin().get(`${BASE}/${s.id}/overrides?from=2026-06-01T00:00:00Z&to=2026-06-08T00:00:00Z`)).json<{ items: OverrideView[] }>().items;
    expect(listed.map((x) => [x.id, x.username])).toEqual([[override.id, xen.username]]);

    expect((await o.admin().del(`${BASE}/${s.id}/overrides/${override.id}`)).statusCode).toBe(200);
    expect((await who(s.id, '2026-06-03T03:00:00Z')).map((x) => x.userId)).toEqual([ana.id]);
    expect(o.refusal(await o.admin().del(`${BASE}/${s.id}/overrides/${override.id}`)).code).toBe('ONCALL_OVERRIDE_NOT_FOUND');
    const events = (await o.admin().get(`/api/v1/events?type=oncall.override.`)).json<Page<EventView>>().items.map((e) => e.type);
    expect(events).toEqual(['oncall.override.deleted', 'oncall.override.created']);
  });

  it('keeps a New York 09:00 handoff at 09:00 local across the March change', async () => {
    const ny = await o.schedule({ timeZone: 'America/New_York', layers: [{ userIds: [ana.id, bo.id], rotation: daily('09:00', '2026-03-07') }] });
    expect((await who(ny.id, '2026-03-08T12:59:00Z')).map((x) => x.userId)).toEqual([ana.id]); // 08:59 EDT
    expect((await who(ny.id, '2026-03-08T13:30:00Z')).map((x) => x.userId)).toEqual([bo.id]); // 09:30 EDT, 14:30 by the old clock
    const shifts = (await o.admin().get(`${BASE}/${ny.id}/shifts?from=2026-03-07T00:00:00Z&to=2026-03-10T00:00:00Z`)).json<OncallShifts>().shifts;
    expect(shifts.map((x) => [x.start, x.end])).toEqual([
      ['2026-03-07T14:00:00.000Z', '2026-03-08T13:00:00.000Z'],
      ['2026-03-08T13:00:00.000Z', '2026-03-09T13:00:00.000Z'],
      ['2026-03-09T13:00:00.000Z', '2026-03-10T00:00:00.000Z'],
    ]);
  });

  it('refuses what cannot work, naming the field', async () => {
    const layer = { userIds: [ana.id], rotation: daily('09:00', '2026-06-01') };
    const cases: [Record<string, unknown>, number, string][] = [
      [{ timeZone: 'Mars/Olympus', layers: [layer] }, 400, 'body.timeZone'],
      [{ timeZone: SH, layers: [{ ...layer, rotation: { type: 'custom', handoffTime: '08:00', startDate: '2026-06-01' } }] }, 400, 'body.layers.0.rotation.lengthHours'],
      [{ timeZone: SH, layers: [{ ...layer, rotation: daily('24:00', '2026-06-01') }] }, 400, 'body.layers.0.rotation.handoffTime'],
      [{ timeZone: SH, layers: [{ ...layer, rotation: daily('09:00', '2026-02-30') }] }, 400, 'body.layers.0.rotation.startDate'],
      [{ timeZone: SH, layers: [layer, { ...layer, userIds: [ana.id, '01900000-0000-7000-8000-000000000009'] }] }, 404, 'body.layers.1.userIds.1'],
      [{ timeZone: SH, teamId: '01900000-0000-7000-8000-000000000009', layers: [layer] }, 404, 'body.teamId'],
    ];
    for (const [body, status, field] of cases) {
      const r = o.refusal(await o.admin().post(BASE, { name: 'bad', ...body }));
      expect([r.status, r.fields], field).toEqual([status, [field]]);
    }
    const backwards = o.refusal(await o.admin().post(`${BASE}/${s.id}/overrides`, { userId: xen.id, start: '2026-06-03T04:00:00Z', end: '2026-06-03T02:00:00Z' }));
    expect(backwards.fields).toEqual(['body.end']);
    const tooLong = o.refusal(await o.admin().get(`${BASE}/${s.id}/shifts?from=2026-06-01T00:00:00Z&to=2026-08-03T00:00:00Z`));
    expect([tooLong.status, tooLong.fields]).toEqual([400, ['query.to']]);
  });

  it('lets a viewer read schedules but not change them (403 naming oncall:admin)', async () => {
    const viewer = await t.userWithRoles(['viewer']);
    expect((await o.as(viewer.token).get(`${BASE}/${s.id}/shifts`)).statusCode).toBe(200);
    const refused = o.refusal(await o.put(`${BASE}/${s.id}`, { name: 'mine', ...dayAndNight() }, viewer.token));
    expect([refused.status, refused.message]).toEqual([403, 'You lack the permission oncall:admin']);
    const nobody = await o.user('nobody');
    expect(o.refusal(await o.as(nobody.token).get(BASE)).message).toContain('oncall:read');
  });

  it('replaces and deletes a schedule, its overrides with it', async () => {
    const temp = await o.schedule(dayAndNight());
    const replaced = await o.put(`${BASE}/${temp.id}`, { name: 'renamed', ...dayAndNight(), layers: [dayAndNight().layers[0]] });
    expect(replaced.json<OncallScheduleView>().layers.map((l) => l.name)).toEqual(['day']);
    await o.admin().post(`${BASE}/${temp.id}/overrides`, { userId: xen.id, start: '2026-06-03T02:00:00Z', end: '2026-06-03T04:00:00Z' });
    expect((await o.admin().del(`${BASE}/${temp.id}`)).statusCode).toBe(200);
    expect(o.refusal(await o.admin().get(`${BASE}/${temp.id}/oncall`)).code).toBe('ONCALL_SCHEDULE_NOT_FOUND');
    expect(await t.app.oncall.onCallAt(temp.id, new Date('2026-06-03T03:00:00Z'))).toEqual([]);
  });
});
