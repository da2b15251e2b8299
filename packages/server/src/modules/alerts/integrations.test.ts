import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertView, IntegrationView, IntegrationWithKey, Page, RejectedPayloadView } from '@opsline/contracts';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { alertFixtures, amAlert, amBody } from './alerts.fixtures.js';

interface Issue {
  field: string;
}
const fields = (body: { error: { details?: { issues?: Issue[] } } }): string[] => (body.error.details?.issues ?? []).map((i) => i.field);

describe('integrations, alert lists and acknowledgement', () => {
  let t: TestApp;
  const a = alertFixtures(() => t);

  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('shows a key once, keeps only its first 6 characters, and rotates it', async () => {
    const created = await a.integration({ name: 'am east', type: 'alertmanager' });
    expect(created.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({ keyPrefix: created.key.slice(0, 6), enabled: true, defaultSeverity: 'P3', rateLimit: { perSecond: 50, burst: 200 }, webhookMapping: null });
    expect(created.severityMap).toEqual({ critical: 'P1', warning: 'P3', info: 'P5' });
    const read = await a.admin('GET', `/api/v1/integrations/${created.id}`);
    expect(read.body).not.toContain(created.key);
    expect(read.json<IntegrationView>().ingestPath).toBe('/api/v1/integrations/{key}/alertmanager');

    const rotated = (await a.admin('POST', `/api/v1/integrations/${created.id}/rotate-key`)).json<IntegrationWithKey>();
    expect(rotated.key).not.toBe(created.key);
    expect((await a.post(created.key, 'alertmanager', amBody([]))).statusCode).toBe(401);
    expect((await a.post(rotated.key, 'alertmanager', amBody([]))).statusCode).toBe(200);
    const audit = await a.admin('GET', '/api/v1/audit?action=integration.rotate_key');
    expect(audit.json().items[0]).toMatchObject({ targetId: created.id, result: 'success' });
    expect(JSON.stringify(audit.json())).not.toContain(rotated.key);
  });

  it('lists by type, changes and disables integrations, and deletes them keeping their alerts', async () => {
    const zabbix = await a.integration({ name: 'zbx', type: 'zabbix', severityMap: { Disaster: 'P1' } });
    expect(zabbix.severityMap).toMatchObject({ disaster: 'P1', high: 'P1', average: 'P2' });
    const list = (await a.admin('GET', '/api/v1/integrations?type=zabbix')).json<Page<IntegrationView>>();
    expect(list.items.map((i) => i.name)).toEqual(['zbx']);

    const hook = await a.integration({ name: 'hooky', type: 'webhook' });
    expect((await a.admin('PUT', `/api/v1/integrations/${hook.id}`, { enabled: false, name: 'hooky off' })).json()).toMatchObject({ enabled: false, name: 'hooky off' });
    expect((await a.post(hook.key, 'webhook', { title: 'x' })).statusCode).toBe(401);
    await a.admin('PUT', `/api/v1/integrations/${hook.id}`, { enabled: true });
    await a.delivered(hook.key, 'webhook', { title: 'Left behind' });

    expect((await a.admin('DELETE', `/api/v1/integrations/${hook.id}`)).statusCode).toBe(200);
    expect((await a.admin('GET', `/api/v1/integrations/${hook.id}`)).statusCode).toBe(404);
    expect((await a.alerts('&q=Left%20behind'))[0]).toMatchObject({ integrationId: null, source: 'webhook:hooky off' });
    expect((await a.admin('POST', '/api/v1/integrations', { name: 'zbx', type: 'zabbix' })).statusCode).toBe(409);
    const events = (await a.admin('GET', `/api/v1/events?type=integration.&resourceId=${hook.id}`)).json<Page<{ type: string }>>();
    expect(events.items.map((e) => e.type)).toEqual(['integration.deleted', 'integration.updated', 'integration.updated', 'integration.created']);
  });

  it('pages alerts newest first and acknowledges them in bulk, audited, for alert:write only', async () => {
    const am = await a.integration({ name: 'am ack', type: 'alertmanager' });
    for (const name of ['AckOne', 'AckTwo', 'AckThree']) {
      t.clock.advance(1_000);
      await a.delivered(am.key, 'alertmanager', amBody([amAlert({ alertname: name, group: 'ack' })]));
    }
    const first = (await a.admin('GET', '/api/v1/alerts?q=ack&limit=2')).json<Page<AlertView>>();
    expect(first.items.map((x) => x.title)).toEqual(['AckThree', 'AckTwo']);
    const second = (await a.admin('GET', `/api/v1/alerts?q=ack&limit=2&cursor=${first.nextCursor ?? ''}`)).json<Page<AlertView>>();
    expect(second).toMatchObject({ items: [{ title: 'AckOne' }], nextCursor: null });

    const viewer = await t.userWithRoles(['viewer']);
    expect((await t.call({ method: 'GET', url: '/api/v1/alerts?q=ack', token: viewer.token })).statusCode).toBe(200);
    const refused = await t.call({ method: 'POST', url: '/api/v1/alerts/ack', token: viewer.token, body: { ids: [first.items[0]?.id] } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.message).toContain('alert:write');

    const ids = [...first.items, ...second.items].map((x) => x.id);
    expect((await a.admin('POST', '/api/v1/alerts/ack', { ids })).json()).toEqual({ acked: 3 });
    expect((await a.admin('POST', '/api/v1/alerts/ack', { ids })).json()).toEqual({ acked: 0 });
    expect((await a.alerts('&q=ack')).every((x) => x.ackedBy === 'admin' && x.ackedAt !== null)).toBe(true);
    const audit = await a.admin('GET', '/api/v1/audit?action=alert.ack');
    expect(audit.json().items.map((r: { result: string }) => r.result)).toEqual(['success', 'success', 'denied']);
  });

  it('keeps the newest 1,000 refused payloads per integration', { timeout: 60_000 }, async () => {
    const noisy = await a.integration({ name: 'noisy', type: 'alertmanager', rateLimit: { perSecond: 100_000, burst: 1_000_000 } });
    for (let i = 0; i < 1_003; i++) expect((await a.post(noisy.key, 'alertmanager', `{"bad": ${i}`)).statusCode).toBe(400);
    const kept: RejectedPayloadView[] = [];
    let cursor = '';
    do {
      const page = (await a.admin('GET', `/api/v1/integrations/${noisy.id}/rejected?limit=500${cursor && `&cursor=${cursor}`}`)).json<Page<RejectedPayloadView>>();
      kept.push(...page.items);
      cursor = page.nextCursor ?? '';
    } while (cursor);
    expect(kept).toHaveLength(1_000);
    expect(kept[0]?.body).toBe('{"bad": 1002');
    expect(kept.at(-1)?.body).toBe('{"bad": 3');
  });

  it('answers bad input on every alert API with 4xx naming the field', async () => {
    const am = await a.integration({ name: 'am bad input', type: 'alertmanager' });
    const posts: [string, string, unknown, string][] = [
      ['POST', '/api/v1/integrations', { name: '', type: 'alertmanager' }, 'body.name'],
      ['POST', '/api/v1/integrations', { name: 'n', type: 'nagios' }, 'body.type'],
      ['POST', '/api/v1/integrations', { name: 'n', type: 'alertmanager', webhookMapping: {} }, 'body.webhookMapping'],
      ['POST', '/api/v1/integrations', { name: 'n', type: 'zabbix', severityMap: { high: 'P9' } }, 'body.severityMap.high'],
      ['POST', '/api/v1/integrations', { name: 'n', type: 'zabbix', rateLimit: { perSecond: 1, burst: 0 } }, 'body.rateLimit.burst'],
      ['POST', '/api/v1/integrations', { name: 'n', type: 'webhook', webhookMapping: { title: 'a..b' } }, 'body.webhookMapping.title'],
      ['PUT', `/api/v1/integrations/${am.id}`, { type: 'zabbix' }, 'body.type'],
      ['PUT', `/api/v1/integrations/${am.id}`, { webhookMapping: { title: 't' } }, 'body.webhookMapping'],
      ['POST', '/api/v1/alerts/ack', { ids: [] }, 'body.ids'],
      ['POST', '/api/v1/alerts/ack', { ids: ['nope'] }, 'body.ids.0'],
    ];
    for (const [method, url, body, field] of posts) {
      const res = await a.admin(method as 'POST', url, body);
      expect(res.statusCode, `${method} ${url} ${field}`).toBe(400);
      expect(fields(res.json()), `${method} ${url}`).toContain(field);
    }
    for (const [url, field] of [
      ['/api/v1/alerts?severity=P9', 'query.severity'], ['/api/v1/alerts?status=open', 'query.status'], ['/api/v1/alerts?nodeId=x', 'query.nodeId'],
      ['/api/v1/alerts?cursor=bogus', 'query.cursor'], ['/api/v1/integrations?type=x', 'query.type'], ['/api/v1/alerts/x', 'params.id'],
    ]) {
      const res = await a.admin('GET', url ?? '');
      expect(res.statusCode, url).toBe(400);
      expect(fields(res.json()), url).toContain(field);
    }
    expect((await a.admin('GET', '/api/v1/alerts/01900000-0000-7000-8000-000000000000')).statusCode).toBe(404);
    expect((await a.admin('GET', '/api/v1/integrations/01900000-0000-7000-8000-000000000000/rejected')).statusCode).toBe(404);
  });
});
