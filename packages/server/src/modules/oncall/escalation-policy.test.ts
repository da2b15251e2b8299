import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationPolicyView } from '@opsline/contracts';
import { buildTestApp, uniqueName, type TestApp } from '@opsline/test-utils';
import { daily, oncallFixtures } from './oncall.fixtures.js';

const NOWHERE = '01900000-0000-7000-8000-00000000000f';

describe('escalation policies', () => {
  let t: TestApp;
  let o: ReturnType<typeof oncallFixtures>;
  let ana: { id: string };
  let bo: { id: string };
  let cy: { id: string };
  let teamId: string;
  let scheduleId: string;
  let im: string;
  let phone: string;

  beforeAll(async () => {
    t = await buildTestApp();
    o = oncallFixtures(t);
    ana = await o.user('ana');
    bo = await o.user('bo');
    cy = await o.user('cy');
    const team = await o.admin().post('/api/v1/teams', { name: uniqueName('sre'), memberIds: [bo.id, cy.id] });
    expect(team.statusCode, team.body).toBe(201);
    teamId = team.json<{ id: string }>().id;
    scheduleId = (await o.schedule({ timeZone: 'UTC', layers: [{ userIds: [ana.id], rotation: daily('00:00', '2026-01-01') }] })).id;
    im = await o.channel('im');
    phone = await o.channel('phone');
  });
  afterAll(() => t.close());

  const levels = () => [
    { delayMinutes: 5, targets: [{ type: 'schedule', id: scheduleId }, { type: 'channel', id: im }] },
    { delayMinutes: 15, targets: [{ type: 'team', id: teamId }, { type: 'user', id: ana.id }, { type: 'channel', id: phone }] },
  ];

  it('keeps levels of schedules, teams, users and channels, with a repeat count', async () => {
    const p = await o.policy({ levels: levels(), repeat: 2, description: 'primary, then the whole team' });
    const got = (await o.admin().get(`/api/v1/escalation-policies/${p.id}`)).json<EscalationPolicyView>();
    expect([got.levels.map((l) => [l.delayMinutes, l.targets.length]), got.repeat, got.description]).toEqual([[[5, 2], [15, 3]], 2, 'primary, then the whole team']);
    expect(await t.app.oncall.policy(p.id)).toEqual(got);
    expect(await t.app.oncall.policy(NOWHERE)).toBeNull();
    const changed = await o.put(`/api/v1/escalation-policies/${p.id}`, { name: got.name, levels: levels().slice(0, 1) });
    expect(changed.json<EscalationPolicyView>().levels).toHaveLength(1);
    expect(changed.json<EscalationPolicyView>().repeat).toBe(0);
  });

  it('refuses a target that does not exist with a 404 naming it, and a bad level with a 400 naming the field', async () => {
    const missing: [string, string, string][] = [
      ['team', 'TEAM_NOT_FOUND', 'body.levels.1.targets.0.id'],
      ['user', 'USER_NOT_FOUND', 'body.levels.1.targets.1.id'],
      ['channel', 'NOTIFY_CHANNEL_NOT_FOUND', 'body.levels.1.targets.2.id'],
    ];
    for (const [type, code, field] of missing) {
      const body = levels();
      body[1]!.targets = body[1]!.targets.map((x) => (x.type === type ? { ...x, id: NOWHERE } : x));
      const r = o.refusal(await o.admin().post('/api/v1/escalation-policies', { name: 'bad', levels: body }));
      expect([r.status, r.code, r.fields], type).toEqual([404, code, [field]]);
      expect(r.message).toContain(field);
    }
    const noSchedule = o.refusal(await o.admin().post('/api/v1/escalation-policies', { name: 'bad', levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: NOWHERE }] }] }));
    expect([noSchedule.status, noSchedule.code, noSchedule.fields]).toEqual([404, 'ONCALL_SCHEDULE_NOT_FOUND', ['body.levels.0.targets.0.id']]);

    const bad: [unknown, string][] = [
      [{ levels: [{ delayMinutes: 0, targets: [{ type: 'user', id: ana.id }] }] }, 'body.levels.0.delayMinutes'],
      [{ levels: [{ ...levels()[0], delayMinutes: 'ten' }] }, 'body.levels.0.delayMinutes'],
      [{ levels: levels(), repeat: 11 }, 'body.repeat'],
      [{ levels: [] }, 'body.levels'],
      [{ levels: [{ delayMinutes: 5, targets: [{ type: 'pager', id: ana.id }] }] }, 'body.levels.0.targets.0.type'],
    ];
    for (const [body, field] of bad) {
      const r = o.refusal(await o.admin().post('/api/v1/escalation-policies', { name: 'bad', ...(body as object) }));
      expect([r.status, r.fields], field).toEqual([400, [field]]);
    }
  });

  it('resolves targets to people and channels: a team\'s members, a schedule\'s on-call, each once, active accounts only', async () => {
    const at = new Date('2026-06-01T12:00:00Z');
    const targets = [...levels()[1]!.targets, ...levels()[0]!.targets, { type: 'channel', id: im }] as Parameters<typeof t.app.oncall.resolveTargets>[0];
    expect(await t.app.oncall.resolveTargets(targets, at)).toEqual({ userIds: [bo.id, cy.id, ana.id], channelIds: [phone, im] });
    expect((await o.admin().patch(`/api/v1/users/${cy.id}`, { status: 'disabled' })).statusCode).toBe(200);
    const gone = await o.channel('gone');
    expect((await o.admin().del(`/api/v1/channels/${gone}`)).statusCode).toBe(200);
    expect(await t.app.oncall.resolveTargets([{ type: 'team', id: teamId }, { type: 'channel', id: gone }, { type: 'user', id: NOWHERE }], at)).toEqual({ userIds: [bo.id], channelIds: [] });
    // A schedule before its first handoff has nobody on call.
    expect(await t.app.oncall.resolveTargets([{ type: 'schedule', id: scheduleId }], new Date('2025-12-31T12:00:00Z'))).toEqual({ userIds: [], channelIds: [] });
  });

  it('will not delete a policy routing rules use (409 naming them), nor a schedule a policy pages', async () => {
    const p = await o.policy({ levels: levels() });
    const rule = await o.rule({ name: uniqueName('db-alerts'), escalationPolicyId: p.id });
    const inUse = await o.admin().del(`/api/v1/escalation-policies/${p.id}`);
    expect([inUse.statusCode, inUse.json<{ error: { code: string } }>().error.code]).toEqual([409, 'ESCALATION_POLICY_IN_USE']);
    expect(inUse.json<{ error: { message: string; details: unknown } }>().error).toMatchObject({ message: expect.stringContaining(rule.name), details: { rules: [{ id: rule.id, name: rule.name }] } });
    const scheduleInUse = o.refusal(await o.admin().del(`/api/v1/schedules/oncall/${scheduleId}`));
    expect([scheduleInUse.status, scheduleInUse.code]).toEqual([409, 'ONCALL_SCHEDULE_IN_USE']);
    expect(scheduleInUse.message).toContain(p.name);
    expect((await o.admin().del(`/api/v1/routing-rules/${rule.id}`)).statusCode).toBe(200);
    expect((await o.admin().del(`/api/v1/escalation-policies/${p.id}`)).statusCode).toBe(200);
    expect(o.refusal(await o.admin().get(`/api/v1/escalation-policies/${p.id}`)).code).toBe('ESCALATION_POLICY_NOT_FOUND');
  });

  it('lets a viewer read policies but not create them (403 naming oncall:admin)', async () => {
    const viewer = await t.userWithRoles(['viewer']);
    expect((await o.as(viewer.token).get('/api/v1/escalation-policies')).statusCode).toBe(200);
    const r = o.refusal(await o.as(viewer.token).post('/api/v1/escalation-policies', { name: 'mine', levels: levels() }));
    expect([r.status, r.message]).toEqual([403, 'You lack the permission oncall:admin']);
  });
});
