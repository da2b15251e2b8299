import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, testDbKind, type TestApp } from '@opsline/test-utils';
import { rowsOf } from '../db/db.js';
import { SecretBox } from './secret-box.js';

const CANARY = 'canary-7f3c9e-do-not-leak-Zq81';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

describe('stored secrets', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await buildTestApp({}, { persistent: true });
  });
  afterAll(() => t.close());

  it('keeps a canary out of every table, data file, log line and audit row, yet can open it', async () => {
    const created = await t.call({ method: 'POST', url: '/api/v1/secrets', token: t.adminToken, body: { name: 'ssh/deploy-key', value: CANARY } });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain(CANARY);
    const rotated = await t.call({ method: 'PATCH', url: `/api/v1/secrets/${created.json().id}`, token: t.adminToken, body: { value: `${CANARY}-2` } });
    expect(rotated.statusCode).toBe(200);
    // A failed attempt that echoes the body must not leak it either.
    await t.call({ method: 'POST', url: '/api/v1/secrets', token: t.adminToken, body: { name: 'ssh/deploy-key', value: CANARY } });

    expect(await t.app.platform.secrets.reveal('ssh/deploy-key')).toBe(`${CANARY}-2`);

    const tables = rowsOf<{ tablename: string }>(await t.app.platform.db.execute(sql`select tablename from pg_tables where schemaname = 'public'`));
    expect(tables.length).toBeGreaterThan(8);
    for (const { tablename } of tables) {
      const dump = JSON.stringify(rowsOf(await t.app.platform.db.execute(sql`select * from ${sql.identifier(tablename)}`)));
      expect(dump, tablename).not.toContain(CANARY);
    }
    await t.app.platform.db.execute(sql`checkpoint`);
    const files = filesUnder(t.dataDir);
    expect(files.length).toBeGreaterThan(testDbKind() === 'pglite' ? 100 : 0);
    for (const file of files) expect(readFileSync(file).includes(CANARY), file).toBe(false);
    expect(t.logs.join('\n')).not.toContain(CANARY);
    const audit = await t.call({ method: 'GET', url: '/api/v1/audit?targetType=secret&limit=50', token: t.adminToken });
    expect(audit.json().items.length).toBeGreaterThanOrEqual(2);
    expect(audit.body).not.toContain(CANARY);
  });

  it('seals with AES-256-GCM envelopes bound to their context', () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const sealed = box.seal('hello', 'secret:a');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.seal('hello', 'secret:a')).not.toBe(sealed);
    expect(box.open(sealed, 'secret:a')).toBe('hello');
    expect(() => box.open(sealed, 'secret:b')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed, 'secret:a')).toThrow(/another master key/);
    const tampered = sealed.slice(0, -3) + (sealed.endsWith('AAA') ? 'BBB' : 'AAA');
    expect(() => box.open(tampered, 'secret:a')).toThrow();
  });
});
