import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentView, IntegrationWithKey, Page, TreeNodeView } from '@opsline/contracts';
import { buildTestApp, startAlertmanager, treeFixtures, waitFor, type AlertmanagerPeer, type TestApp } from '@opsline/test-utils';

/** From a real Alertmanager (the Debian package) through alert ingest to incidents. */
describe('Alertmanager groups become incidents', () => {
  let t: TestApp;
  let am: AlertmanagerPeer;
  let leaf: TreeNodeView;
  const incidents = async (q: string) => (await t.call({ method: 'GET', url: `/api/v1/incidents?limit=100&q=${q}`, token: t.adminToken })).json<Page<IncidentView>>().items;

  beforeAll(async () => {
    t = await buildTestApp();
    const f = treeFixtures(t);
    leaf = (await f.chain('pay.api', null, { leaf: true })).at(-1) as TreeNodeView;
    await f.host('pay-1', [leaf.id], { ips: ['10.9.0.1'] });
    await f.host('pay-2', [leaf.id], { ips: ['10.9.0.2'] });
    const made = await t.call({ method: 'POST', url: '/api/v1/integrations', token: t.adminToken, body: { name: 'am for incidents', type: 'alertmanager' } });
    expect(made.statusCode, made.body).toBe(201);
    const key = made.json<IntegrationWithKey>().key;
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as AddressInfo).port;
    am = await startAlertmanager({ receiverUrl: `http://127.0.0.1:${port}/api/v1/integrations/${key}/alertmanager`, groupInterval: '1s' });
  }, 60_000);
  afterAll(async () => {
    await am.stop();
    await t.close();
  });

  it('opens one incident per group, and resolves each when Alertmanager resolves its alerts', { timeout: 60_000 }, async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alerts = [
      { labels: { alertname: 'PayLatency', severity: 'critical', instance: 'pay-1:9100' }, annotations: { summary: 'PayLatency high' }, startsAt },
      { labels: { alertname: 'PayLatency', severity: 'critical', instance: 'pay-2:9100' }, annotations: { summary: 'PayLatency high' }, startsAt },
      { labels: { alertname: 'PayErrors', severity: 'warning', instance: 'pay-1:9100' }, annotations: { summary: 'PayErrors rising' }, startsAt },
    ];
    await am.push(alerts);
    const open = await waitFor(async () => {
      const found = (await incidents('Pay')).filter((i) => i.status === 'triggered');
      return found.length === 2 && found.reduce((n, i) => n + i.alertCount, 0) === 3 && found;
    }, { timeoutMs: 30_000, what: 'two incidents holding the three alerts' });
    expect(open.find((i) => i.title === 'PayLatency high')).toMatchObject({ alertCount: 2, firingCount: 2, priority: 'P1', nodeId: leaf.id });
    expect(open.find((i) => i.title === 'PayErrors rising')).toMatchObject({ alertCount: 1, priority: 'P3' });

    const endsAt = new Date(Date.now() - 1_000).toISOString();
    await am.push(alerts.map((a) => ({ ...a, endsAt })));
    const done = await waitFor(async () => {
      const found = await incidents('Pay');
      return found.every((i) => i.status === 'resolved') && found;
    }, { timeoutMs: 30_000, what: 'both incidents resolved' });
    expect(done.map((i) => i.resolvedBy)).toEqual(['alerts', 'alerts']);
    expect(done.map((i) => i.id).sort()).toEqual(open.map((i) => i.id).sort());
  });
});
