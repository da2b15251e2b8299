import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, type TestApp } from '@opsline/test-utils';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('a restart', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const a of apps.reverse()) await a.close();
  });

  it('keeps users, tokens, audit records and events (PGlite on disk, or PostgreSQL)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsline-restart-'));
    const database = await createTestDatabase();
    const first = await buildTestApp({}, { persistent: true, dataDir, database, keep: true });
    const alice = await first.userWithRoles(['operator'], 'alice');
    const token = (await first.call({ method: 'POST', url: '/api/v1/tokens', token: alice.token, body: { name: 'kept' } })).json().token as string;
    const auditBefore = (await first.call({ method: 'GET', url: '/api/v1/audit?limit=500', token: first.adminToken })).json().items.length as number;
    const eventsBefore = (await first.call({ method: 'GET', url: '/api/v1/events?limit=500', token: first.adminToken })).json().items.length as number;
    await first.close();

    const second = await buildTestApp({}, { persistent: true, dataDir, database });
    apps.push(second);
    const me = await second.call({ method: 'GET', url: '/api/v1/auth/me', token });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('alice');
    expect(me.json().user.roles).toEqual(['operator']);
    const audit = (await second.call({ method: 'GET', url: '/api/v1/audit?limit=500', token: second.adminToken })).json().items;
    expect(audit.length).toBeGreaterThan(auditBefore);
    expect(audit.some((a: { action: string; targetId: string }) => a.action === 'user.create' && a.targetId === alice.id)).toBe(true);
    const events = (await second.call({ method: 'GET', url: '/api/v1/events?limit=500', token: second.adminToken })).json().items;
    expect(events.length).toBeGreaterThanOrEqual(eventsBefore);
    expect(events.some((e: { type: string; resourceId: string }) => e.type === 'user.created' && e.resourceId === alice.id)).toBe(true);
  });
});
