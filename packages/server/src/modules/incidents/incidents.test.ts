import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentAlerts, IncidentSettings, IncidentView, Page, SuspectChange, TimelineEntry } from '@opsline/contracts';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import type { IncomingAlert } from './index.js';

let seq = 0;
const alert = (over: Partial<IncomingAlert> = {}): IncomingAlert => ({
  alertId: `0190d1e2-0000-7000-8000-${String(++seq).padStart(12, '0')}`, change: 'new', title: 'DiskFull on web-1', severity: 'P2',
  labels: { alertname: 'DiskFull' }, nodeId: null, hostId: null, integrationId: null, silenced: false, ...over,
});

describe('incidents', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, body?: unknown) => t.call({ method, url, token: t.adminToken, body });
  const get = async (id: string) => (await api('GET', `/api/v1/incidents/${id}`)).json<IncidentView>();
  const timeline = async (id: string) => (await api('GET', `/api/v1/incidents/${id}/timeline`)).json<{ items: TimelineEntry[] }>().items;
  const openFor = async (title: string) => (await api('GET', `/api/v1/incidents?open=true&q=${encodeURIComponent(title)}`)).json<Page<IncidentView>>().items;

  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
  });
  afterAll(() => t.close());

  it('opens one by hand with its priority from impact × urgency, and SLA deadlines from its priority', async () => {
    const res = await api('POST', '/api/v1/incidents', { title: 'Checkout is slow', impact: 'high', urgency: 'medium' });
    expect(res.statusCode, res.body).toBe(201);
    const inc = res.json<IncidentView>();
    expect(inc).toMatchObject({ status: 'triggered', priority: 'P1', source: 'manual', number: expect.any(Number) as number });
    expect(Date.parse(inc.sla.ackDueAt) - Date.parse(inc.createdAt)).toBe(15 * 60_000);
    expect(Date.parse(inc.sla.resolveDueAt) - Date.parse(inc.createdAt)).toBe(240 * 60_000);

    const bad = await api('POST', '/api/v1/incidents', { title: '', impact: 'huge' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('body.title');
    expect(bad.body).toContain('body.impact');

    // A lower urgency lowers the priority; the timeline says so.
    expect((await api('PATCH', `/api/v1/incidents/${inc.id}`, { urgency: 'low' })).json<IncidentView>().priority).toBe('P2');
    expect((await api('POST', `/api/v1/incidents/${inc.id}/ack`, { comment: 'looking' })).json<IncidentView>()).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'admin' });
    const again = await api('POST', `/api/v1/incidents/${inc.id}/ack`);
    expect(again.statusCode, again.body).toBe(409);
    expect((await api('POST', `/api/v1/incidents/${inc.id}/notes`, { text: 'cache node restarted' })).statusCode).toBe(201);
    const me = await t.userWithRoles(['operator']);
    expect((await api('POST', `/api/v1/incidents/${inc.id}/assign`, { userId: me.id })).json<IncidentView>().assigneeName).toBe(me.username);
    expect((await api('POST', `/api/v1/incidents/${inc.id}/resolve`)).json<IncidentView>()).toMatchObject({ status: 'resolved', resolvedBy: 'admin' });
    expect((await timeline(inc.id)).map((e) => e.kind)).toEqual(['opened', 'changed', 'acknowledged', 'note', 'assigned', 'resolved']);
    const viewer = await t.userWithRoles(['viewer']);
    const refused = await t.call({ method: 'POST', url: `/api/v1/incidents/${inc.id}/notes`, token: viewer.token, body: { text: 'x' } });
    expect(refused.statusCode).toBe(403);
    expect(refused.body).toContain('incident:write');
  });

  it('follows an edited priority matrix', async () => {
    const settings = (await api('GET', '/api/v1/incidents/settings')).json<IncidentSettings>();
    const changed = { ...settings, matrix: { ...settings.matrix, low: { ...settings.matrix.low, low: 'P4' } } };
    expect((await api('PUT', '/api/v1/incidents/settings', changed)).statusCode).toBe(200);
    expect((await api('POST', '/api/v1/incidents', { title: 'Typo on the about page', impact: 'low', urgency: 'low' })).json<IncidentView>().priority).toBe('P4');
    const bad = await api('PUT', '/api/v1/incidents/settings', { ...settings, matrix: { ...settings.matrix, high: { ...settings.matrix.high, high: 'P9' } } });
    expect(bad.body).toContain('body.matrix.high.high');
  });

  it('gathers alerts of one group into one incident, and resolves it when every alert has', async () => {
    const node = await f.node('grouping');
    const first = alert({ title: 'DiskFull on db-1', nodeId: node.id, severity: 'P1' });
    const second = alert({ title: 'DiskFull on db-2', nodeId: node.id, severity: 'P1' });
    const other = alert({ title: 'HighLoad on db-1', labels: { alertname: 'HighLoad' }, nodeId: node.id });
    await t.app.incidents.ingest([first, second, other]);
    await t.app.incidents.ingest([{ ...first, change: 'repeat' }]);
    const [disk] = await openFor('DiskFull on db-1');
    expect(disk).toMatchObject({ alertCount: 2, firingCount: 2, priority: 'P1', source: 'alerts', nodeId: node.id });
    expect(await openFor('HighLoad on db-1')).toHaveLength(1);
    await t.app.incidents.ingest([{ ...first, change: 'resolved' }]);
    expect(await get(disk?.id ?? '')).toMatchObject({ status: 'triggered', firingCount: 1 });
    // Its alerts: both, the resolved one marked so; or only those still firing.
    const linked = (await api('GET', `/api/v1/incidents/${disk?.id ?? ''}/alerts`)).json<IncidentAlerts>();
    expect(linked.total).toBe(2);
    expect(linked.items.map((a) => [a.title, a.firing]).sort()).toEqual([['DiskFull on db-1', false], ['DiskFull on db-2', true]]);
    expect((await api('GET', `/api/v1/incidents/${disk?.id ?? ''}/alerts?firing=true`)).json<IncidentAlerts>().items.map((a) => a.alertId)).toEqual([second.alertId]);
    expect((await api('GET', `/api/v1/incidents/${disk?.id ?? ''}/alerts?limit=0`)).body).toContain('query.limit');
    // …and the other way: the incident holding an alert.
    expect((await api('GET', `/api/v1/incidents?alertId=${second.alertId}`)).json<Page<IncidentView>>().items.map((i) => i.id)).toEqual([disk?.id]);
    await t.app.incidents.ingest([{ ...second, change: 'resolved' }]);
    expect(await get(disk?.id ?? '')).toMatchObject({ status: 'resolved', resolvedBy: 'alerts', firingCount: 0 });
    expect((await timeline(disk?.id ?? '')).map((e) => e.kind)).toEqual(['opened', 'alert', 'alert', 'alert_resolved', 'alert_resolved', 'resolved']);
    // A silenced alert opens nothing.
    await t.app.incidents.ingest([alert({ title: 'Silenced thing', labels: { alertname: 'Silenced' }, silenced: true })]);
    expect(await openFor('Silenced thing')).toHaveLength(0);
  });

  it('groups by a grouping rule\'s labels, and an Alertmanager group stays one incident', async () => {
    const rule = await api('POST', '/api/v1/grouping-rules', { name: 'by service', match: [{ name: 'team', value: 'pay.*', isRegex: true }], groupBy: ['service'], windowMinutes: 10 });
    expect(rule.statusCode, rule.body).toBe(201);
    await t.app.incidents.ingest([
      alert({ title: 'pay-api 5xx', labels: { alertname: 'Http5xx', team: 'payments', service: 'pay-api' } }),
      alert({ title: 'pay-api latency', labels: { alertname: 'Latency', team: 'payments', service: 'pay-api' } }),
    ]);
    expect((await openFor('pay-api 5xx'))[0]?.alertCount).toBe(2);
    await t.app.incidents.ingest([alert({ title: 'am group a', groupKey: '{}:{alertname="X"}', labels: { alertname: 'A' } }), alert({ title: 'am group b', groupKey: '{}:{alertname="X"}', labels: { alertname: 'B' } })]);
    expect((await openFor('am group a'))[0]?.alertCount).toBe(2);
    const bad = await api('POST', '/api/v1/grouping-rules', { name: 'x', match: [{ name: 'a', value: '(', isRegex: true }], groupBy: ['a'] });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('body.match.0.value');
  });

  it('turns a storm of 5,000 alerts in a minute into one storm incident, gathering the ones opened before it was called', { timeout: 120_000 }, async () => {
    const integrationId = '0190d1e2-0000-7000-8000-00000000abcd';
    for (let b = 0; b < 50; b++) {
      await t.app.incidents.ingest(Array.from({ length: 100 }, (_, i) => alert({ title: `Probe ${b * 100 + i} down`, labels: { alertname: `Probe${b * 100 + i}` }, integrationId })));
    }
    const open = (await api('GET', '/api/v1/incidents?open=true&limit=500')).json<Page<IncidentView>>().items.filter((i) => i.title.startsWith('Probe') || i.source === 'storm');
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ source: 'storm', alertCount: 5000, priority: 'P0' });
    const entries = await timeline(open[0]?.id ?? '');
    expect(entries.filter((e) => e.kind === 'alert').length).toBeLessThanOrEqual(20);
  });

  it('marks an SLA breach once, when the time to acknowledge runs out', async () => {
    const inc = (await api('POST', '/api/v1/incidents', { title: 'Payments down', impact: 'high', urgency: 'high' })).json<IncidentView>();
    await t.app.incidents.tick();
    expect((await get(inc.id)).sla.ackBreachedAt).toBeNull();
    t.clock.advance(5 * 60_000 + 1);
    await t.app.incidents.tick();
    await t.app.incidents.tick();
    expect((await get(inc.id)).sla.ackBreachedAt).not.toBeNull();
    expect((await timeline(inc.id)).filter((e) => e.kind === 'sla_breached')).toHaveLength(1);
    const events = (await api('GET', '/api/v1/events?type=incident.sla_breached')).body;
    expect(events).toContain(`incident #${inc.number} breached its ack SLA`);
  });

  it('lists the changes on its node and below before it opened: the suspects', async () => {
    const parent = await f.node('shop');
    const child = await f.node('cart', parent.id);
    const elsewhere = await f.node('blog');
    await api('PATCH', `/api/v1/tree/nodes/${child.id}`, { description: 'new cache settings' });
    await api('PATCH', `/api/v1/tree/nodes/${elsewhere.id}`, { description: 'unrelated' });
    t.clock.advance(60_000);
    const inc = (await api('POST', '/api/v1/incidents', { title: 'Cart errors', nodeId: parent.id })).json<IncidentView>();
    const suspects = (await api('GET', `/api/v1/incidents/${inc.id}/changes?hours=2`)).json<{ items: SuspectChange[] }>().items;
    expect(suspects.map((s) => s.nodeId)).toContain(child.id);
    expect(suspects.map((s) => s.nodeId)).not.toContain(elsewhere.id);
    expect(suspects.every((s) => !s.type.startsWith('incident.'))).toBe(true);
  });

  it('sums up on the dashboard: open by priority, MTTA and MTTR, the noisiest alerts', async () => {
    const board = (await api('GET', '/api/v1/incidents/dashboard?days=7')).json<{ openByPriority: Record<string, number>; opened: number; mttaSeconds: number | null; mttrSeconds: number | null; noisiestAlerts: { title: string; count: number }[] }>();
    expect(board.openByPriority.P0).toBeGreaterThanOrEqual(2);
    expect(board.opened).toBeGreaterThan(5);
    expect(board.mttaSeconds).not.toBeNull();
    expect(board.mttrSeconds).not.toBeNull();
    expect(board.noisiestAlerts.length).toBeGreaterThan(0);
    expect((await api('GET', '/api/v1/incidents/dashboard?days=9')).body).toContain('query.days');
  });
});
