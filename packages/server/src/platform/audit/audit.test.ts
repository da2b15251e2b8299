import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';

describe('the audit log', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({ OPSLINE_TRUST_PROXY: '127.0.0.1' });
  });
  afterAll(() => t.close());

  it('records who, what, target, when, source address (through a trusted proxy) and result', async () => {
    const res = await t.call({
      method: 'POST', url: '/api/v1/teams', token: t.adminToken, body: { name: 'dba' },
      headers: { 'x-forwarded-for': '203.0.113.9', 'user-agent': 'opsline-cli/1.0' },
    });
    const rec = (await t.call({ method: 'GET', url: `/api/v1/audit?action=team.create&targetId=${res.json().id}`, token: t.adminToken })).json().items[0];
    expect(rec).toMatchObject({
      actorName: 'admin', action: 'team.create', targetType: 'team', targetId: res.json().id, sourceIp: '203.0.113.9',
      userAgent: 'opsline-cli/1.0', method: 'POST', path: '/api/v1/teams', result: 'success',
    });
    expect(rec.after.name).toBe('dba');
    expect(Date.parse(rec.at)).not.toBeNaN();
  });

  it('records a failed change as a failure with its error code', async () => {
    await t.call({ method: 'POST', url: '/api/v1/teams', token: t.adminToken, body: { name: 'dba' } });
    const rec = (await t.call({ method: 'GET', url: '/api/v1/audit?action=team.create&result=failure', token: t.adminToken })).json().items[0];
    expect(rec.errorCode).toBe('TEAM_EXISTS');
  });

  it('does not make the change when its audit record cannot be written', async () => {
    const audit = t.app.platform.audit;
    const original = audit.write;
    audit.write = async (tx, entry) => {
      if (entry.result === 'success') throw new Error('audit store unavailable');
      return original(tx, entry);
    };
    try {
      const res = await t.call({ method: 'POST', url: '/api/v1/teams', token: t.adminToken, body: { name: 'ghost' } });
      expect(res.statusCode).toBe(500);
    } finally {
      audit.write = original;
    }
    expect((await t.call({ method: 'GET', url: '/api/v1/teams?q=ghost', token: t.adminToken })).json().items).toEqual([]);
    expect((await t.call({ method: 'GET', url: '/api/v1/events?type=team.created', token: t.adminToken })).json().items.map((e: { summary: string }) => e.summary)).not.toContain('team ghost created');
  });

  it('is append-only: the database refuses UPDATE, DELETE and TRUNCATE', async () => {
    const db = t.app.platform.db;
    await expect(db.execute(sql`update audit_log set actor_name = 'mallory'`)).rejects.toThrow();
    await expect(db.execute(sql`delete from audit_log`)).rejects.toThrow();
    await expect(db.execute(sql`truncate audit_log`)).rejects.toThrow();
    const names = (await t.call({ method: 'GET', url: '/api/v1/audit?limit=500', token: t.adminToken })).json().items.map((i: { actorName: string }) => i.actorName);
    expect(names).not.toContain('mallory');
  });

  it('filters by actor, action, result and time, and pages', async () => {
    const u = await t.userWithRoles(['viewer']);
    const mine = (await t.call({ method: 'GET', url: `/api/v1/audit?actor=${u.username}`, token: t.adminToken })).json().items;
    expect(mine.map((i: { action: string }) => i.action)).toEqual(['auth.login']);
    const future = new Date(Date.now() + 86_400_000).toISOString();
    expect((await t.call({ method: 'GET', url: `/api/v1/audit?since=${encodeURIComponent(future)}`, token: t.adminToken })).json().items).toEqual([]);
    const page1 = (await t.call({ method: 'GET', url: '/api/v1/audit?limit=2', token: t.adminToken })).json();
    const page2 = (await t.call({ method: 'GET', url: `/api/v1/audit?limit=2&cursor=${page1.nextCursor}`, token: t.adminToken })).json();
    expect(Number(page2.items[0].id)).toBeLessThan(Number(page1.items[1].id));
  });
});
