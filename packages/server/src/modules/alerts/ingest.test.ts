import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventView, Page, RejectedPayloadView } from '@opsline/contracts';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import type { AlertChange } from './index.js';
import { alertFixtures, amAlert, amBody } from './alerts.fixtures.js';
import { alertPayloads, alerts } from './alerts.tables.js';

describe('alert ingest: the Alertmanager webhook', () => {
  let t: TestApp;
  const a = alertFixtures(() => t);
  let key = '';
  let integrationId = '';
  const heard: AlertChange[][] = [];

  beforeAll(async () => {
    t = await buildTestApp();
    const am = await a.integration({ name: 'prod alertmanager', type: 'alertmanager' });
    key = am.key;
    integrationId = am.id;
    t.app.alerts.onAlerts((changes) => void heard.push(changes));
  });
  afterAll(() => t.close());

  const events = async (type: string, resourceId: string): Promise<EventView[]> =>
    (await a.admin('GET', `/api/v1/events?type=${type}&resourceId=${resourceId}`)).json<Page<EventView>>().items;

  it('counts 1,000 repeats of one alert, sent as batches of 100, on one alert that fired once', async () => {
    const disk = amAlert({ alertname: 'DiskFull', severity: 'critical', instance: 'db-1:9100' }, { summary: 'Disk almost full', fingerprint: 'aa00000000000001' });
    for (let batch = 0; batch < 10; batch++) {
      expect(await a.delivered(key, 'alertmanager', amBody(Array.from({ length: 100 }, () => disk)))).toMatchObject({ accepted: 100 });
    }
    const [alert, ...others] = await a.alerts('&q=Disk%20almost');
    expect(others).toEqual([]);
    expect(alert).toMatchObject({ status: 'firing', count: 1000, severity: 'P1', title: 'Disk almost full', fingerprint: 'aa00000000000001', source: 'alertmanager:prod alertmanager' });
    expect(await events('alert.fired', alert?.id ?? '')).toHaveLength(1);
    const detail = await a.detail(alert?.id ?? '');
    expect(detail.payload).toMatchObject({ version: '4', receiver: 'opsline' });
    expect((detail.payload as { alerts: unknown[] }).alerts).toHaveLength(100);
  });

  it('closes an alert when it resolves, ignores the resolve sent again, and opens a new occurrence when it fires again', async () => {
    const labels = { alertname: 'HighLatency', severity: 'warning', service: 'api' };
    const fired = await a.delivered(key, 'alertmanager', amBody([amAlert(labels, { fingerprint: 'bb00000000000001' })]));
    expect(fired).toMatchObject({ fired: 1, repeated: 0 });
    const resolve = amBody([amAlert(labels, { fingerprint: 'bb00000000000001', endsAt: '2026-01-01T00:10:00Z' })], 'resolved');
    expect(await a.delivered(key, 'alertmanager', resolve)).toMatchObject({ resolved: 1, ignored: 0 });
    expect(await a.delivered(key, 'alertmanager', resolve)).toMatchObject({ resolved: 0, ignored: 1 });
    const [closed] = await a.alerts('&q=HighLatency');
    expect(closed).toMatchObject({ status: 'resolved', count: 1, endsAt: '2026-01-01T00:10:00.000Z', severity: 'P3', title: 'HighLatency' });
    expect(closed?.resolvedAt).not.toBeNull();
    expect(await events('alert.resolved', closed?.id ?? '')).toHaveLength(1);

    t.clock.advance(60_000);
    await a.delivered(key, 'alertmanager', amBody([amAlert(labels, { fingerprint: 'bb00000000000001', startsAt: '2026-01-01T01:00:00Z' })]));
    const both = await a.alerts('&q=HighLatency');
    expect(both.map((x) => x.status)).toEqual(['firing', 'resolved']);
    expect(both[0]?.id).not.toBe(closed?.id);
    expect((await a.alerts('&q=HighLatency&status=firing')).map((x) => x.id)).toEqual([both[0]?.id]);
  });

  it('opens one alert per fingerprint when identical batches arrive at once', async () => {
    const batch = amBody(Array.from({ length: 20 }, (_, i) => amAlert({ alertname: 'Concurrent', n: String(i) }, { fingerprint: `cc0000000000${String(i).padStart(4, '0')}` })));
    const results = await Promise.all(Array.from({ length: 8 }, () => a.delivered(key, 'alertmanager', batch)));
    expect(results.reduce((n, r) => n + r.fired, 0)).toBe(20);
    const open = await a.alerts('&q=Concurrent&status=firing');
    expect(open).toHaveLength(20);
    expect(open.every((x) => x.count === 8)).toBe(true);
  });

  it('tells onAlerts listeners, after commit, what each delivery changed', async () => {
    await t.app.alerts.settled();
    heard.length = 0;
    const labels = { alertname: 'ListenerCheck' };
    await a.delivered(key, 'alertmanager', amBody([amAlert(labels), amAlert({ alertname: 'ListenerOther' })]));
    await a.delivered(key, 'alertmanager', amBody([amAlert(labels)]));
    await a.delivered(key, 'alertmanager', amBody([amAlert(labels, { endsAt: '2026-01-01T00:05:00Z' })], 'resolved'));
    await t.app.alerts.settled();
    expect(heard.map((batch) => batch.map((c) => `${c.kind}:${c.alert.title}:${c.alert.count}`).sort())).toEqual([
      ['fired:ListenerCheck:1', 'fired:ListenerOther:1'],
      ['repeated:ListenerCheck:2'],
      ['resolved:ListenerCheck:2'],
    ]);
  });

  it('turns away an unknown or disabled key with 401, and a key of another type with 400', async () => {
    const wrong = await a.post('not-a-key', 'alertmanager', amBody([amAlert({ alertname: 'X' })]));
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().error.code).toBe('INTEGRATION_KEY_INVALID');
    const off = await a.integration({ name: 'switched off', type: 'alertmanager', enabled: false });
    expect((await a.post(off.key, 'alertmanager', amBody([amAlert({ alertname: 'X' })]))).statusCode).toBe(401);
    const zabbix = await a.post(key, 'zabbix', { eventId: '1', status: 'problem', name: 'x' });
    expect(zabbix.statusCode).toBe(400);
    expect(zabbix.json().error.code).toBe('INTEGRATION_FORMAT_MISMATCH');
    expect(await a.alerts('&q=X')).toEqual([]);
  });

  it('answers 413 to a body over 5 MiB, yet takes a 4 MiB batch', async () => {
    const huge = await a.post(key, 'alertmanager', amBody([amAlert({ alertname: 'Huge', blob: 'x'.repeat(10 * 2 ** 20) })]));
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.message).toContain('5 MiB');
    const big = Array.from({ length: 64 }, (_, i) => amAlert({ alertname: 'BigBatch', n: String(i), blob: 'y'.repeat(64 * 1024) }));
    expect(await a.delivered(key, 'alertmanager', amBody(big))).toMatchObject({ accepted: 64, fired: 64 });
  });

  it('answers a malformed body with 400 naming the field, and keeps it in the rejected log', async () => {
    const bad = await a.post(key, 'alertmanager', amBody([{ status: 'burning', labels: { alertname: 'Bad' } }]));
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.issues.map((i: { field: string }) => i.field)).toContain('body.alerts.0.status');
    const notJson = await a.post(key, 'alertmanager', '{"alerts": [');
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('INVALID_JSON');
    const noLabels = await a.post(key, 'alertmanager', { alerts: [{ status: 'firing' }] });
    expect(noLabels.json().error.message).toContain('body.alerts.0.labels');

    const log = (await a.admin('GET', `/api/v1/integrations/${integrationId}/rejected`)).json<Page<RejectedPayloadView>>().items;
    // Newest first; the oldest is the Zabbix body posted to this Alertmanager key above.
    expect(log.map((r) => r.body)).toEqual([
      JSON.stringify({ alerts: [{ status: 'firing' }] }), '{"alerts": [', expect.stringContaining('burning') as string, expect.stringContaining('eventId') as string,
    ]);
    expect(log[2]?.reason).toContain('body.alerts.0.status');
    expect(await a.alerts('&q=Bad')).toEqual([]);
  });

  it('answers 503 with Retry-After, never 429, over the rate limit', async () => {
    const slow = await a.integration({ name: 'rate limited', type: 'alertmanager', rateLimit: { perSecond: 1, burst: 2 } });
    const body = amBody([amAlert({ alertname: 'Limited' })]);
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await a.post(slow.key, 'alertmanager', body)).statusCode);
    expect(codes).toEqual([200, 200, 503]);
    const refused = await a.post(slow.key, 'alertmanager', body);
    expect(refused.headers['retry-after']).toBe('1');
    t.clock.advance(1_000);
    expect((await a.post(slow.key, 'alertmanager', body)).statusCode).toBe(200);
    expect((await a.alerts('&q=Limited'))[0]?.count).toBe(3);
  });

  it('keeps the last payload of each alert and drops the bodies no alert points at', async () => {
    const { db, scheduler } = t.app.platform;
    const referenced = async () => (await db.selectDistinct({ id: alerts.payloadId }).from(alerts)).length;
    expect((await db.select({ id: alertPayloads.id }).from(alertPayloads)).length).toBeGreaterThan(await referenced());
    t.clock.advance(120_000);
    expect(await scheduler.tick('alerts.payloads.prune', t.clock.now())).toBe('ran');
    expect((await db.select({ id: alertPayloads.id }).from(alertPayloads)).length).toBe(await referenced());
    const [disk] = await a.alerts('&q=Disk%20almost');
    expect((await a.detail(disk?.id ?? '')).payload).toMatchObject({ version: '4' });
  });

  it('never writes an integration key to the server log', () => {
    expect(t.logs.join('\n')).not.toContain(key);
  });
});
