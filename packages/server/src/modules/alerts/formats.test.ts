import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostView, TreeNodeView } from '@opsline/contracts';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import { alertFixtures } from './alerts.fixtures.js';

const SCRIPT = readFileSync(new URL('../../../../../docs/integrations/zabbix-media-type.js', import.meta.url), 'utf8');

/**
 * Runs docs/integrations/zabbix-media-type.js as Zabbix would (a function
 * body given `value`), with an HttpRequest that records what it posts.
 */
function zabbixPost(params: Record<string, string>): { url: string; body: unknown } {
  const sent: { url: string; body: string }[] = [];
  class HttpRequest {
    addHeader(): void {}
    post(url: string, body: string): string {
      sent.push({ url, body });
      return '{}';
    }
    getStatus(): number {
      return 200;
    }
  }
  const result: unknown = runInNewContext(`(function (value) {\n${SCRIPT}\n})(value)`, { value: JSON.stringify(params), HttpRequest, Zabbix: { log: () => undefined } });
  expect(result).toBe('OK');
  const [only] = sent;
  return { url: only?.url ?? '', body: JSON.parse(only?.body ?? 'null') as unknown };
}

describe('alert formats: Zabbix and generic webhooks', () => {
  let t: TestApp;
  const a = alertFixtures(() => t);
  let dbLeaf: TreeNodeView;
  let webNode: TreeNodeView;
  let db7: HostView;

  beforeAll(async () => {
    t = await buildTestApp();
    const f = treeFixtures(t);
    const dc = await f.node('dc');
    dbLeaf = await f.node('db', dc.id, { isLeaf: true });
    webNode = await f.node('web', dc.id);
    db7 = await f.host('db-7', [dbLeaf.id], { ips: ['10.9.9.7'] });
  });
  afterAll(() => t.close());

  it('takes what the Zabbix media-type script posts: severity, host, tags, node tag, update and recovery', async () => {
    const zabbix = await a.integration({ name: 'zabbix main', type: 'zabbix' });
    const problem = {
      opsline_url: `http://opsline/api/v1/integrations/${zabbix.key}/zabbix`, event_id: '4711', event_value: '1', event_update_status: '0',
      event_nseverity: '4', event_severity: 'High', event_name: 'MySQL is down on DB-7', event_date: '2026.01.31', event_time: '14:05:09',
      event_recovery_date: '{EVENT.RECOVERY.DATE}', event_recovery_time: '{EVENT.RECOVERY.TIME}', host_host: 'DB-7', host_name: 'Database 7', host_ip: '10.9.9.7',
      trigger_id: '900', event_tags: JSON.stringify([{ tag: 'service', value: 'mysql' }]), alert_message: 'mysqld not running', zabbix_url: 'https://zabbix.example.org/',
    };
    const sent = zabbixPost(problem);
    expect(sent.url).toBe(problem.opsline_url);
    expect(sent.body).toMatchObject({ eventId: '4711', status: 'problem', severity: '4', severityName: 'High', url: 'https://zabbix.example.org/tr_events.php?triggerid=900&eventid=4711' });
    expect(await a.delivered(zabbix.key, 'zabbix', sent.body)).toMatchObject({ fired: 1 });
    expect(await a.delivered(zabbix.key, 'zabbix', zabbixPost({ ...problem, event_update_status: '1' }).body)).toMatchObject({ repeated: 1 });
    const [open] = await a.alerts('&q=MySQL');
    expect(open).toMatchObject({
      status: 'firing', severity: 'P1', title: 'MySQL is down on DB-7', description: 'mysqld not running', count: 2, hostId: db7.id, nodeId: dbLeaf.id,
      labels: { service: 'mysql', host: 'DB-7', host_ip: '10.9.9.7', trigger_id: '900', event_id: '4711' }, source: 'zabbix:zabbix main',
    });

    const recovery = zabbixPost({ ...problem, event_value: '0', event_recovery_date: '2026.01.31', event_recovery_time: '14:20:00' });
    expect(await a.delivered(zabbix.key, 'zabbix', recovery.body)).toMatchObject({ resolved: 1 });
    expect((await a.alerts('&q=MySQL'))[0]).toMatchObject({ id: open?.id, status: 'resolved', endsAt: (recovery.body as { endsAt: string }).endsAt });

    // Renamed severities fall back to the number; a node tag (a tree path) wins over the host's node.
    const renamed = zabbixPost({ ...problem, event_id: '4712', event_severity: '灾难', event_nseverity: '5', event_name: 'Disk fail', event_tags: JSON.stringify([{ tag: 'node', value: 'dc.web' }]) });
    await a.delivered(zabbix.key, 'zabbix', renamed.body);
    expect((await a.alerts('&q=Disk%20fail'))[0]).toMatchObject({ severity: 'P0', hostId: db7.id, nodeId: webNode.id });
  });

  it('reads a generic webhook through its field mapping and severity map', async () => {
    const hook = await a.integration({
      name: 'custom monitor', type: 'webhook', severityMap: { Crit: 'P0' }, defaultSeverity: 'P4',
      webhookMapping: { items: 'data.alerts', title: 'name', severity: 'level', status: 'state', resolvedValues: ['OK'], dedupKey: 'id', labels: 'tags', host: 'target.ip' },
    });
    expect(hook.severityMap).toMatchObject({ crit: 'P0', critical: 'P1' });
    const body = (state: string) => ({
      data: {
        alerts: [
          { id: 'q-1', name: 'Queue stuck', level: 'CRIT', state, tags: { team: 'pay', node: webNode.id }, target: { ip: '10.9.9.7' } },
          { id: 'q-2', name: 'Queue slow', level: 'meh', state: 'ALARM', tags: { team: 'pay', retries: 3 } },
        ],
      },
    });
    expect(await a.delivered(hook.key, 'webhook', body('ALARM'))).toMatchObject({ fired: 2 });
    const [stuck] = await a.alerts('&q=Queue%20stuck');
    expect(stuck).toMatchObject({ severity: 'P0', hostId: db7.id, nodeId: webNode.id, labels: { team: 'pay', host: '10.9.9.7' }, status: 'firing' });
    expect((await a.alerts('&q=Queue%20slow'))[0]).toMatchObject({ severity: 'P4', hostId: null, labels: { retries: '3' } });

    expect(await a.delivered(hook.key, 'webhook', body('ok'))).toMatchObject({ resolved: 1, repeated: 1 });
    expect((await a.alerts('&q=Queue%20stuck'))[0]).toMatchObject({ id: stuck?.id, status: 'resolved' });

    const missing = await a.post(hook.key, 'webhook', { data: { alerts: [{ id: 'q-3', name: 'fine' }, { id: 'q-4', level: 'CRIT' }] } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details.issues).toEqual([expect.objectContaining({ field: 'body.data.alerts.1.name' })]);
    const notList = await a.post(hook.key, 'webhook', { data: { alerts: 'nope' } });
    expect(notList.json().error.message).toContain('body.data.alerts');
    expect(await a.alerts('&q=fine')).toEqual([]);
  });

  it('takes one delivery that fires, resolves and fires one alert again, in order', async () => {
    const hook = await a.integration({ name: 'flappy hook', type: 'webhook' });
    const flap = (status: string) => ({ title: 'Flapping link', dedupKey: 'link-7', status });
    const result = await a.delivered(hook.key, 'webhook', [flap('firing'), flap('firing'), flap('resolved'), flap('firing')]);
    expect(result).toEqual({ accepted: 4, fired: 2, repeated: 1, resolved: 1, ignored: 0 });
    expect((await a.alerts('&q=Flapping')).map((x) => `${x.status}:${x.count}`)).toEqual(['firing:1', 'resolved:2']);
  });

  it('takes one plain JSON object on a webhook with the default mapping', async () => {
    const plain = await a.integration({ name: 'plain hook', type: 'webhook' });
    await a.delivered(plain.key, 'webhook', { title: 'Backup failed', severity: 'error', labels: { job: 'backup' }, host: 'db-7' });
    expect((await a.alerts('&q=Backup'))[0]).toMatchObject({ severity: 'P2', hostId: db7.id, nodeId: dbLeaf.id, labels: { job: 'backup', host: 'db-7' } });
    await a.delivered(plain.key, 'webhook', { title: 'Backup failed', severity: 'error', labels: { job: 'backup' }, host: 'db-7', status: 'resolved' });
    expect((await a.alerts('&q=Backup'))[0]).toMatchObject({ status: 'resolved', count: 1 });
  });
});
