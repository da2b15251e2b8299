import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView, IntegrationWithKey, Page } from '@opsline/contracts';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { incidentAlerts, incidents } from './incidents.tables.js';

/**
 * Alerts are committed before the webhook answers; incidents take them in
 * after the commit. A server stopped in between leaves the state these tests
 * make by hand: the sweep must take such alerts (and resolutions) in.
 */
describe('alerts a cut-off delivery left behind', () => {
  let t: TestApp;
  let url = '';
  const api = (method: 'GET' | 'POST', path: string, body?: unknown) => t.call({ method, url: path, token: t.adminToken, body });
  const openFor = async (q: string) => (await api('GET', `/api/v1/incidents?limit=50&q=${q}`)).json<Page<IncidentView>>().items;
  const send = (alertname: string, status: 'firing' | 'resolved') => t.call({
    method: 'POST', url, body: {
      version: '4', status, receiver: 'opsline', groupKey: `{}:{alertname="${alertname}"}`, groupLabels: { alertname }, commonLabels: {}, commonAnnotations: {}, externalURL: 'http://am',
      alerts: [{ status, labels: { alertname, severity: 'critical' }, annotations: { summary: `${alertname} on db-1` }, startsAt: '2026-01-01T00:00:00Z', endsAt: '0001-01-01T00:00:00Z', fingerprint: alertname }],
    },
  });

  beforeAll(async () => {
    t = await buildTestApp();
    const made = await api('POST', '/api/v1/integrations', { name: 'handoff', type: 'alertmanager' });
    expect(made.statusCode, made.body).toBe(201);
    url = `/api/v1/integrations/${made.json<IntegrationWithKey>().key}/alertmanager`;
  });
  afterAll(() => t.close());

  it('opens an incident for a firing alert no incident took in, once it has settled', async () => {
    expect((await send('ReplicaLag', 'firing')).statusCode).toBe(200);
    await t.app.alerts.settled();
    const [first] = await openFor('ReplicaLag');
    expect(first?.alertCount).toBe(1);
    // As if the server had stopped before handing the alert over: no incident holds it.
    const { db } = t.app.platform;
    await db.delete(incidentAlerts).where(eq(incidentAlerts.incidentId, first?.id ?? ''));
    await db.delete(incidents).where(eq(incidents.id, first?.id ?? ''));
    expect(await openFor('ReplicaLag')).toHaveLength(0);

    // Too fresh to tell from one still on its way: left alone.
    await t.app.incidents.tick();
    expect(await openFor('ReplicaLag')).toHaveLength(0);
    t.clock.advance(31_000);
    await t.app.incidents.tick();
    const [again] = await openFor('ReplicaLag');
    expect(again).toMatchObject({ status: 'triggered', alertCount: 1, firingCount: 1, title: 'ReplicaLag on db-1' });
    // Taken in once: later passes add nothing.
    t.clock.advance(31_000);
    await t.app.incidents.tick();
    expect(await openFor('ReplicaLag')).toHaveLength(1);
  });

  it('resolves an incident whose last alert resolved unseen', async () => {
    expect((await send('DiskPressure', 'firing')).statusCode).toBe(200);
    await t.app.alerts.settled();
    const [open] = await openFor('DiskPressure');
    expect(open?.status).toBe('triggered');
    // The resolution committed, its handover lost: the alert row alone says resolved.
    const { db } = t.app.platform;
    const linked = await db.select({ alertId: incidentAlerts.alertId }).from(incidentAlerts).where(eq(incidentAlerts.incidentId, open?.id ?? ''));
    // (The alerts module's table, by its SQL name: this test plays the part of its ingest.)
    for (const { alertId } of linked) await db.execute(sql`update alerts set status = 'resolved', resolved_at = ${t.clock.now().toISOString()}::timestamptz where id = ${alertId}::uuid`);
    t.clock.advance(31_000);
    await t.app.incidents.tick();
    const [done] = await openFor('DiskPressure');
    expect(done).toMatchObject({ status: 'resolved', resolvedBy: 'alerts', firingCount: 0 });
  });
});
