import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page, SilenceView } from '@opsline/contracts';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import type { AlertChange } from './index.js';
import { alertFixtures, amAlert, amBody } from './alerts.fixtures.js';
import { inWeeklyWindow } from './silence-match.js';

describe('silences', () => {
  let t: TestApp;
  const a = alertFixtures(() => t);
  let key = '';
  const heard: AlertChange[] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    t.clock.set('2026-03-07T12:00:00Z');
    key = (await a.integration({ name: 'am', type: 'alertmanager', rateLimit: { perSecond: 1000, burst: 1000 } })).key;
    t.app.alerts.onAlerts((changes) => void heard.push(...changes));
  });
  afterAll(() => t.close());

  async function silence(body: Record<string, unknown>): Promise<SilenceView> {
    const res = await a.admin('POST', '/api/v1/silences', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<SilenceView>();
  }
  const fire = (labels: Record<string, string>) => a.delivered(key, 'alertmanager', amBody([amAlert(labels)]));
  const silencedBy = async (alertname: string) => (await a.alerts(`&q=${alertname}&status=firing`))[0]?.silencedBy;

  it('stores an alert that a silence matches as silenced, and tells the listeners so', async () => {
    const s = await silence({
      matchers: [{ name: 'alertname', value: 'Maint.*', isRegex: true }, { name: 'env', value: 'dev', isEqual: false }],
      endsAt: '2026-03-07T14:00:00Z', comment: 'database maintenance',
    });
    expect(s).toMatchObject({ state: 'active', silencingNow: true, createdBy: 'admin', startsAt: '2026-03-07T12:00:00.000Z' });
    await fire({ alertname: 'MaintDb', env: 'prod' });
    await fire({ alertname: 'MaintDev', env: 'dev' });
    await fire({ alertname: 'OtherThing', env: 'prod' });
    expect(await silencedBy('MaintDb')).toBe(s.id);
    expect(await silencedBy('MaintDev')).toBeNull();
    expect(await silencedBy('OtherThing')).toBeNull();
    await t.app.alerts.settled();
    expect(heard.filter((c) => c.silenced).map((c) => c.alert.title)).toEqual(['MaintDb']);

    // Past its end it silences nothing: the next delivery of the same alert is no longer silenced.
    t.clock.set('2026-03-07T15:00:00Z');
    await fire({ alertname: 'MaintDb', env: 'prod' });
    expect(await silencedBy('MaintDb')).toBeNull();
    const expired = (await a.admin('GET', '/api/v1/silences?state=expired')).json<Page<SilenceView>>().items;
    expect(expired.map((x) => x.id)).toEqual([s.id]);
  });

  it('silences only inside a weekly maintenance window, in its time zone, past midnight too', async () => {
    const s = await silence({
      matchers: [{ name: 'alertname', value: 'Nightly' }], startsAt: '2026-01-01T00:00:00Z', endsAt: '2027-01-01T00:00:00Z', comment: 'Saturday night window',
      recurrence: { days: [6], start: '22:00', end: '02:00', timeZone: 'Asia/Shanghai' },
    });
    const at = async (iso: string) => {
      t.clock.set(iso);
      await fire({ alertname: 'Nightly' });
      return silencedBy('Nightly');
    };
    expect(await at('2026-03-07T13:59:00Z')).toBeNull(); // Saturday 21:59 in Shanghai
    expect(await at('2026-03-07T14:30:00Z')).toBe(s.id); // Saturday 22:30
    expect(await at('2026-03-07T17:30:00Z')).toBe(s.id); // Sunday 01:30, still Saturday night's window
    expect(await at('2026-03-07T18:30:00Z')).toBeNull(); // Sunday 02:30
    expect(await at('2026-03-08T14:30:00Z')).toBeNull(); // Sunday 22:30: not a listed day
    const view = (await a.admin('GET', `/api/v1/silences/${s.id}`)).json<SilenceView>();
    expect(view).toMatchObject({ state: 'active', silencingNow: false });
  });

  it('reads weekly windows on the local wall clock', () => {
    const weekdays = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00', timeZone: 'Europe/Berlin' };
    expect(inWeeklyWindow(weekdays, new Date('2026-03-09T08:30:00Z'))).toBe(true); // Monday 09:30 CET
    expect(inWeeklyWindow(weekdays, new Date('2026-07-06T16:30:00Z'))).toBe(false); // Monday 18:30 CEST
    expect(inWeeklyWindow(weekdays, new Date('2026-03-08T08:30:00Z'))).toBe(false); // Sunday
  });

  it('changes and deletes a silence; the alert is silenced no more', async () => {
    t.clock.set('2026-04-01T00:00:00Z');
    const s = await silence({ matchers: [{ name: 'team', value: 'pay' }], endsAt: '2026-04-02T00:00:00Z', comment: 'pay team offsite' });
    await fire({ alertname: 'PayLag', team: 'pay' });
    expect(await silencedBy('PayLag')).toBe(s.id);
    const put = await a.admin('PUT', `/api/v1/silences/${s.id}`, { matchers: [{ name: 'team', value: 'ops' }], endsAt: '2026-04-02T00:00:00Z', comment: 'ops only' });
    expect(put.statusCode, put.body).toBe(200);
    await fire({ alertname: 'PayLag', team: 'pay' });
    expect(await silencedBy('PayLag')).toBeNull();
    expect((await a.admin('DELETE', `/api/v1/silences/${s.id}`)).statusCode).toBe(200);
    expect((await a.admin('GET', `/api/v1/silences/${s.id}`)).statusCode).toBe(404);
    const audit = await a.admin('GET', '/api/v1/audit?action=silence.update');
    expect(audit.json().items[0]).toMatchObject({ targetId: s.id, actorName: 'admin', result: 'success' });
  });

  it('expires a silence now by the server\'s clock, kept for the record; a second expiry is refused', async () => {
    t.clock.set('2026-05-01T08:00:00Z');
    const s = await silence({ matchers: [{ name: 'alertname', value: 'Backup' }], endsAt: '2026-05-01T20:00:00Z', comment: 'backup window' });
    await fire({ alertname: 'Backup', run: '1' });
    expect(await silencedBy('Backup')).toBe(s.id);
    t.clock.set('2026-05-01T09:30:00Z');
    const done = await a.admin('POST', `/api/v1/silences/${s.id}/expire`);
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json<SilenceView>()).toMatchObject({ state: 'expired', endsAt: '2026-05-01T09:30:00.000Z', silencingNow: false });
    await fire({ alertname: 'Backup', run: '2' });
    expect((await a.alerts('&q=Backup&status=firing')).find((x) => x.labels.run === '2')?.silencedBy).toBeNull();
    const again = await a.admin('POST', `/api/v1/silences/${s.id}/expire`);
    expect(again.statusCode).toBe(409);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('SILENCE_EXPIRED');
    const audit = await a.admin('GET', '/api/v1/audit?action=silence.expire');
    // Both are audited: the expiry with before and after, the refusal with its code.
    expect(audit.json<{ items: unknown[] }>().items, audit.body).toMatchObject([{ result: 'failure', errorCode: 'SILENCE_EXPIRED' }, { result: 'success', targetId: s.id, after: { state: 'expired' } }]);
  });

  it('answers bad silences with 400 naming the field', async () => {
    const ok = { matchers: [{ name: 'a', value: 'b' }], endsAt: '2030-01-01T00:00:00Z', comment: 'x' };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...ok, matchers: [] }, 'body.matchers'],
      [{ ...ok, matchers: [{ name: 'a', value: '(', isRegex: true }] }, 'body.matchers.0.value'],
      [{ ...ok, startsAt: '2031-01-01T00:00:00Z' }, 'body.endsAt'],
      [{ ...ok, endsAt: '2020-01-01T00:00:00Z' }, 'body.endsAt'],
      [{ ...ok, comment: ' ' }, 'body.comment'],
      [{ ...ok, recurrence: { days: [1], start: '09:00', end: '18:00', timeZone: 'Mars/Olympus' } }, 'body.recurrence.timeZone'],
      [{ ...ok, recurrence: { days: [7], start: '09:00', end: '18:00', timeZone: 'UTC' } }, 'body.recurrence.days.0'],
      [{ ...ok, recurrence: { days: [1], start: '9am', end: '18:00', timeZone: 'UTC' } }, 'body.recurrence.start'],
      [{ ...ok, recurrence: { days: [1], start: '09:00', end: '09:00', timeZone: 'UTC' } }, 'body.recurrence.end'],
    ];
    for (const [body, field] of cases) {
      const res = await a.admin('POST', '/api/v1/silences', body);
      expect(res.statusCode, field).toBe(400);
      expect(res.json().error.details.issues.map((i: { field: string }) => i.field), field).toContain(field);
    }
    expect((await a.admin('GET', '/api/v1/silences?state=later')).statusCode).toBe(400);
  });
});
