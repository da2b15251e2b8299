import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '@opsline/test-utils';
import { HOUR } from '@opsline/server';
import { sql } from 'drizzle-orm';
import { rowsOf } from '../db/db.js';

describe('the scheduler', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp();
  });
  afterAll(() => t.close());

  it('runs each tick of a job once, however many servers ask', async () => {
    let runs = 0;
    t.app.platform.scheduler.register({ name: 'test.counter', cron: '0 * * * * *', run: () => Promise.resolve(void runs++) });
    const at = new Date('2026-06-01T10:00:00Z');
    const results = await Promise.all([t.app.platform.scheduler.tick('test.counter', at), t.app.platform.scheduler.tick('test.counter', at)]);
    expect(results.sort()).toEqual(['ran', 'skipped']);
    expect(await t.app.platform.scheduler.tick('test.counter', at)).toBe('skipped');
    expect(await t.app.platform.scheduler.tick('test.counter', new Date('2026-06-01T10:01:00Z'))).toBe('ran');
    expect(runs).toBe(2);
  });

  it('reports a failing job without losing the tick record of others', async () => {
    t.app.platform.scheduler.register({ name: 'test.broken', cron: '0 * * * * *', run: () => Promise.reject(new Error('boom')) });
    expect(await t.app.platform.scheduler.tick('test.broken', new Date())).toBe('failed');
    expect(t.logs.some((l) => l.includes('scheduled job failed') && l.includes('test.broken'))).toBe(true);
  });

  it('refuses a bad cron pattern at registration', () => {
    expect(() => t.app.platform.scheduler.register({ name: 'test.bad', cron: 'every tuesday', run: () => Promise.resolve() })).toThrow();
  });

  it('sweeps expired sessions out of the database', async () => {
    const u = await t.userWithRoles(['viewer']);
    await t.login(u.username, u.password);
    const count = async () => rowsOf<{ n: number }>(await t.app.platform.db.execute(sql`select count(*)::int as n from sessions where user_id = ${u.id}`))[0]?.n;
    expect(await count()).toBe(2);
    t.clock.advance(25 * HOUR);
    expect(await t.app.platform.scheduler.tick('platform.sessions.sweep', t.clock.now())).toBe('ran');
    expect(await count()).toBe(0);
  });
});
