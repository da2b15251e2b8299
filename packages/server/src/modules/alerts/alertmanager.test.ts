import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostView, TreeNodeView } from '@opsline/contracts';
import { buildTestApp, startAlertmanager, treeFixtures, waitFor, type AlertmanagerPeer, type PostableAlert, type TestApp } from '@opsline/test-utils';
import { alertFixtures } from './alerts.fixtures.js';

/** A real Alertmanager (the Debian package) posting to the test server's ingest URL over HTTP. */
describe('a real Alertmanager delivering to Opsline', () => {
  let t: TestApp;
  let am: AlertmanagerPeer | undefined;
  const a = alertFixtures(() => t);
  let leaf: TreeNodeView;
  let host: HostView;

  beforeAll(async () => {
    t = await buildTestApp();
    const f = treeFixtures(t);
    leaf = (await f.chain('shop.web', null, { leaf: true })).at(-1) as TreeNodeView;
    host = await f.host('web-1', [leaf.id], { ips: ['10.1.2.3'] });
    const integration = await a.integration({ name: 'real alertmanager', type: 'alertmanager' });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (t.app.server.address() as AddressInfo).port;
    am = await startAlertmanager({ receiverUrl: `http://127.0.0.1:${port}/api/v1/integrations/${integration.key}/alertmanager`, groupInterval: '1s' });
  }, 60_000);
  afterAll(async () => {
    await am?.stop();
    await t.close();
  });

  it('delivers firing alerts with their host and node, then their resolution', { timeout: 60_000 }, async () => {
    const startsAt = new Date(Date.now() - 60_000).toISOString();
    const alerts: PostableAlert[] = [
      { labels: { alertname: 'AmE2eCpu', severity: 'critical', instance: 'web-1:9100' }, annotations: { summary: 'CPU on fire', description: 'load 40' }, startsAt },
      { labels: { alertname: 'AmE2eCpu', severity: 'warning', instance: '10.1.2.3:9100', job: 'node' }, startsAt },
      { labels: { alertname: 'AmE2eDisk', severity: 'info', instance: 'elsewhere:9100' }, startsAt },
    ];
    await am?.push(alerts);
    const firing = await waitFor(async () => {
      const found = await a.alerts('&q=AmE2e&status=firing');
      return found.length === 3 && found;
    }, { timeoutMs: 30_000, what: 'three firing alerts from Alertmanager' });
    const cpu = firing.filter((x) => x.labels.alertname === 'AmE2eCpu');
    expect(cpu.map((x) => x.severity).sort()).toEqual(['P1', 'P3']);
    expect(cpu.every((x) => x.hostId === host.id && x.nodeId === leaf.id)).toBe(true);
    expect(cpu.find((x) => x.severity === 'P1')).toMatchObject({ title: 'CPU on fire', description: 'load 40', startsAt });
    expect(firing.find((x) => x.labels.alertname === 'AmE2eDisk')).toMatchObject({ severity: 'P5', hostId: null, nodeId: null });
    // Alertmanager's own fingerprint is kept.
    expect(firing.every((x) => /^[0-9a-f]{16}$/.test(x.fingerprint))).toBe(true);

    const endsAt = new Date(Date.now() - 1_000).toISOString();
    await am?.push(alerts.map((x) => ({ ...x, endsAt })));
    const resolved = await waitFor(async () => {
      const found = await a.alerts('&q=AmE2e&status=resolved');
      return found.length === 3 && found;
    }, { timeoutMs: 30_000, what: 'the three alerts resolved by Alertmanager' });
    expect(resolved.map((x) => x.id).sort()).toEqual(firing.map((x) => x.id).sort());
    expect(resolved.every((x) => x.endsAt === new Date(endsAt).toISOString())).toBe(true);
    expect(await a.alerts('&q=AmE2e&status=firing')).toEqual([]);
  });
});
