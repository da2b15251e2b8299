import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView, IncidentView, InhibitRuleView, Page, TreeNodeView } from '@opsline/contracts';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import type { AlertChange } from './index.js';
import { alertFixtures, amAlert, amBody } from './alerts.fixtures.js';

/** Inhibition and dependencies: while a source alert fires, targets on its host or node are stored inhibited and page nobody. */
describe('inhibition rules', () => {
  let t: TestApp;
  const a = alertFixtures(() => t);
  let key = '';
  const heard: AlertChange[] = [];
  const fire = (...labels: Record<string, string>[]) => a.delivered(key, 'alertmanager', amBody(labels.map((l) => amAlert(l))));
  const one = async (alertname: string, instance: string): Promise<AlertView | undefined> =>
    (await a.alerts(`&q=${alertname}&status=firing`)).find((x) => x.labels.instance === instance);
  async function rule(body: Record<string, unknown>): Promise<InhibitRuleView> {
    const res = await a.admin('POST', '/api/v1/inhibit-rules', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<InhibitRuleView>();
  }

  beforeAll(async () => {
    t = await buildTestApp();
    const f = treeFixtures(t);
    const leaf = (await f.chain('shop.db', null, { leaf: true })).at(-1) as TreeNodeView;
    await f.host('db-1', [leaf.id], { ips: ['10.8.0.1'] });
    await f.host('db-2', [leaf.id], { ips: ['10.8.0.2'] });
    key = (await a.integration({ name: 'am', type: 'alertmanager', rateLimit: { perSecond: 1000, burst: 1000 } })).key;
    t.app.alerts.onAlerts((changes) => void heard.push(...changes));
  });
  afterAll(() => t.close());

  it('lets a host that is down hold back the rest of its alerts (a dependency), on that host only', async () => {
    await rule({ name: 'host down holds its services', source: [{ name: 'alertname', value: 'HostDown' }], scope: 'host' });
    await fire({ alertname: 'HostDown', instance: 'db-1:9100' });
    const down = await one('HostDown', 'db-1:9100');
    expect(down).toMatchObject({ inhibitedBy: null, silencedBy: null });
    await fire({ alertname: 'MysqlDown', instance: 'db-1:9104' }, { alertname: 'MysqlDown', instance: 'db-2:9104' });
    expect((await one('MysqlDown', 'db-1:9104'))?.inhibitedBy).toBe(down?.id);
    expect((await one('MysqlDown', 'db-2:9104'))?.inhibitedBy).toBeNull();
    await t.app.alerts.settled();
    // Nobody is paged for the inhibited one: no incident holds it.
    const held = heard.filter((c) => c.alert.title === 'MysqlDown');
    expect(held.map((c) => [c.alert.labels.instance, c.silenced]).sort()).toEqual([['db-1:9104', true], ['db-2:9104', false]]);
    const incidents = (await a.admin('GET', '/api/v1/incidents?q=MysqlDown&limit=50')).json<Page<IncidentView>>().items;
    expect(incidents.reduce((n, i) => n + i.alertCount, 0)).toBe(1);
    // Another host down takes its own alerts along in the same delivery.
    await fire({ alertname: 'DiskFull', instance: 'db-2:9100' }, { alertname: 'HostDown', instance: 'db-2:9100' });
    expect((await one('DiskFull', 'db-2:9100'))?.inhibitedBy).toBe((await one('HostDown', 'db-2:9100'))?.id);
  });

  it('holds back alerts on the same node with equal labels while the source fires, and no longer once it resolved', async () => {
    await rule({ name: 'cluster down', source: [{ name: 'alertname', value: 'ClusterDown' }], target: [{ name: 'severity', value: 'warning' }], scope: 'node', equal: ['cluster'] });
    await fire({ alertname: 'ClusterDown', node: 'shop.db', cluster: 'a', severity: 'critical' });
    await fire({ alertname: 'SlowQuery', node: 'shop.db', cluster: 'a', severity: 'warning', instance: 'q1' }, { alertname: 'SlowQuery', node: 'shop.db', cluster: 'b', severity: 'warning', instance: 'q2' });
    expect((await one('SlowQuery', 'q1'))?.inhibitedBy).toBe((await a.alerts('&q=ClusterDown&status=firing'))[0]?.id);
    expect((await one('SlowQuery', 'q2'))?.inhibitedBy).toBeNull();
    await a.delivered(key, 'alertmanager', amBody([amAlert({ alertname: 'ClusterDown', node: 'shop.db', cluster: 'a', severity: 'critical' }, { endsAt: '2026-01-01T01:00:00Z' })]));
    await fire({ alertname: 'SlowQuery', node: 'shop.db', cluster: 'a', severity: 'warning', instance: 'q3' });
    expect((await one('SlowQuery', 'q3'))?.inhibitedBy).toBeNull();
  });

  it('is listed, changed, disabled and deleted, audited; bad rules are refused naming the field', async () => {
    const r = await rule({ name: 'x', source: [{ name: 'alertname', value: 'NodeDown' }], scope: 'host' });
    const put = await a.admin('PUT', `/api/v1/inhibit-rules/${r.id}`, { name: 'x off', source: r.source, scope: 'host', enabled: false });
    expect(put.json<InhibitRuleView>()).toMatchObject({ name: 'x off', enabled: false, target: [], equal: [] });
    expect((await a.admin('GET', '/api/v1/inhibit-rules')).json<{ items: InhibitRuleView[] }>().items.map((x) => x.name)).toContain('x off');
    expect((await a.admin('DELETE', `/api/v1/inhibit-rules/${r.id}`)).statusCode).toBe(200);
    expect((await a.admin('GET', `/api/v1/inhibit-rules/${r.id}`)).statusCode).toBe(404);
    const audit = (await a.admin('GET', '/api/v1/audit?action=inhibit.rule.update')).json<{ items: { targetId: string }[] }>().items;
    expect(audit[0]?.targetId).toBe(r.id);
    const bad = await a.admin('POST', '/api/v1/inhibit-rules', { name: '', source: [], scope: 'rack', equal: ['x'] });
    expect(bad.statusCode).toBe(400);
    for (const field of ['body.name', 'body.source', 'body.scope']) expect(bad.body).toContain(field);
    const regex = await a.admin('POST', '/api/v1/inhibit-rules', { name: 'r', source: [{ name: 'a', value: '(', isRegex: true }], scope: 'node' });
    expect(regex.body).toContain('body.source.0.value');
  });
});
