import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserNotificationView } from '@opsline/contracts';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { oncallFixtures } from './oncall.fixtures.js';

const SH = 'Asia/Shanghai';
const NIGHT = '2026-06-01T15:00:00Z'; // 23:00 in Shanghai
const DAY = '2026-06-01T03:00:00Z'; // 11:00 in Shanghai

describe('per-user notification rules', () => {
  let t: TestApp;
  let o: ReturnType<typeof oncallFixtures>;
  let ana: { id: string; token: string };
  let bo: { id: string; token: string };
  let voice: string;
  let dingtalk: string;
  let im: string;
  let sms: string;

  const url = (userId: string) => `/api/v1/users/${userId}/notification-rules`;
  /** P0–P1 at night: voice gateway and DingTalk; P0–P2 by day: IM only; P0 also by SMS ten minutes on. */
  const anaRules = () => ({
    rules: [
      { severities: ['P0', 'P1'], timeWindows: [{ from: '20:00', to: '08:00', timeZone: SH }], channelIds: [voice, dingtalk] },
      { severities: ['P0', 'P1', 'P2'], timeWindows: [{ from: '08:00', to: '20:00', timeZone: SH }], channelIds: [im] },
      { severities: ['P0'], channelIds: [sms], delayMinutes: 10 },
    ],
    contact: { phone: '+86 138 0013 8000', dingtalkMobile: '13800138000' },
  });
  const channels = async (userId: string, severity: 'P0' | 'P1' | 'P2' | 'P3', at: string) => t.app.oncall.userChannels(userId, severity, new Date(at));

  beforeAll(async () => {
    t = await buildTestApp();
    o = oncallFixtures(t);
    ana = await o.user('ana');
    bo = await o.user('bo');
    [voice, dingtalk, im, sms] = [await o.channel('voice'), await o.channel('dingtalk'), await o.channel('im'), await o.channel('sms')];
  });
  afterAll(() => t.close());

  it('lets a user set their own rules and contact, and picks channels by severity and time of day', async () => {
    const saved = await o.put(url(ana.id), anaRules(), ana.token);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await o.as(ana.token).get(url(ana.id))).json<UserNotificationView>()).toMatchObject({ userId: ana.id, contact: anaRules().contact, rules: [{ delayMinutes: 0 }, { delayMinutes: 0 }, { delayMinutes: 10 }] });

    expect(await channels(ana.id, 'P0', NIGHT)).toEqual({ channelIds: [voice, dingtalk], delayed: [{ delayMinutes: 10, channelIds: [sms] }], contact: anaRules().contact });
    expect((await channels(ana.id, 'P1', DAY)).channelIds).toEqual([im]);
    expect((await channels(ana.id, 'P1', NIGHT)).channelIds).toEqual([voice, dingtalk]);
    expect((await channels(ana.id, 'P2', NIGHT)).channelIds).toEqual([]);
    expect(await channels(ana.id, 'P3', DAY)).toEqual({ channelIds: [], delayed: [], contact: anaRules().contact });
    // Someone who never set rules gets nothing (the incident records them as unreachable).
    expect(await channels(bo.id, 'P0', NIGHT)).toEqual({ channelIds: [], delayed: [], contact: {} });
  });

  it('lets anyone signed in choose channels by name, seeing names and types but never a config', async () => {
    const viewer = await t.userWithRoles(['viewer']);
    expect((await o.as(viewer.token).get('/api/v1/channels')).statusCode).toBe(403);
    const found = await o.as(viewer.token).get('/api/v1/channels/choices?q=ding');
    expect(found.statusCode, found.body).toBe(200);
    const [only, ...more] = found.json<{ items: Record<string, unknown>[] }>().items;
    expect(more).toHaveLength(0);
    expect(only).toEqual({ id: dingtalk, name: expect.stringMatching(/^dingtalk/) as string, type: 'webhook', enabled: true });
    const byIds = await o.as(viewer.token).get(`/api/v1/channels/choices?ids=${voice},${sms}`);
    expect(byIds.json<{ items: { id: string }[] }>().items.map((c) => c.id)).toEqual([sms, voice]);
    expect((await o.as(viewer.token).get('/api/v1/channels/choices?ids=nope')).body).toContain('query.ids');
  });

  it('leaves out a channel deleted since, and keeps phone numbers out of the audit log', async () => {
    const gone = await o.channel('gone');
    await o.put(url(ana.id), { ...anaRules(), rules: [{ severities: ['P0'], channelIds: [gone, im] }] }, ana.token);
    await o.admin().del(`/api/v1/channels/${gone}`);
    expect((await channels(ana.id, 'P0', DAY)).channelIds).toEqual([im]);
    const audit = await o.admin().get('/api/v1/audit?action=oncall.notification_rules.update');
    expect(audit.json<{ items: unknown[] }>().items.length).toBeGreaterThan(0);
    expect(audit.body).not.toContain('138');
  });

  it('lets nobody else read or change them without oncall:admin (403 naming it); an admin may', async () => {
    for (const res of [await o.as(bo.token).get(url(ana.id)), await o.put(url(ana.id), anaRules(), bo.token)]) {
      expect([res.statusCode, o.refusal(res).message]).toEqual([403, 'You lack the permission oncall:admin']);
    }
    expect((await o.as(bo.token).get(url(bo.id))).json<UserNotificationView>()).toMatchObject({ rules: [], contact: {}, updatedAt: null });
    const byAdmin = await o.put(url(bo.id), { rules: [{ severities: ['P0'], channelIds: [im] }] });
    expect(byAdmin.statusCode, byAdmin.body).toBe(200);
    expect((await channels(bo.id, 'P0', DAY)).channelIds).toEqual([im]);
  });

  it('refuses an unknown channel (404) or a malformed contact (400), naming the field', async () => {
    const unknown = o.refusal(await o.put(url(ana.id), { rules: [{ severities: ['P0'], channelIds: [im, '01900000-0000-7000-8000-00000000000b'] }] }, ana.token));
    expect([unknown.status, unknown.code, unknown.fields]).toEqual([404, 'NOTIFY_CHANNEL_NOT_FOUND', ['body.rules.0.channelIds.1']]);
    const phone = o.refusal(await o.put(url(ana.id), { rules: [], contact: { phone: 'call me' } }, ana.token));
    expect([phone.status, phone.fields]).toEqual([400, ['body.contact.phone']]);
    const window = o.refusal(await o.put(url(ana.id), { rules: [{ severities: ['P0'], channelIds: [im], timeWindows: [{ from: '25:00', to: '08:00', timeZone: SH }] }] }, ana.token));
    expect([window.status, window.fields]).toEqual([400, ['body.rules.0.timeWindows.0.from']]);
    const nobody = o.refusal(await o.admin().get(url('01900000-0000-7000-8000-00000000000a')));
    expect([nobody.status, nobody.code]).toEqual([404, 'USER_NOT_FOUND']);
  });
});
