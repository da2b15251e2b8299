import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openDatabase, type Database } from '@opsline/server';

/** Which engine the DB suite runs on: PGlite by default, PostgreSQL when `npm test` sets OPSLINE_TEST_DB=postgres. */
export const testDbKind = (): 'pglite' | 'postgres' => (process.env.OPSLINE_TEST_DB === 'postgres' ? 'postgres' : 'pglite');

const migrationsDir = new URL('../../server/migrations/', import.meta.url);

function migrationsHash(): string {
  const h = createHash('sha256');
  for (const f of readdirSync(migrationsDir).filter((n) => n.endsWith('.sql')).sort()) h.update(f).update(readFileSync(new URL(f, migrationsDir)));
  return h.digest('hex').slice(0, 16);
}

/**
 * PGlite takes seconds to create and migrate, so the migrated database is
 * dumped once per migration set and every test file starts from that dump.
 */
async function migratedPgliteDump(): Promise<Blob> {
  const file = join(tmpdir(), `opsline-pglite-template-${migrationsHash()}.tar`);
  if (!existsSync(file)) {
    const template = await openDatabase({ pgliteDir: 'memory://' });
    await template.migrate();
    const dump = await template.dumpDataDir?.();
    await template.close();
    if (!dump) throw new Error('PGlite gave no dump');
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, Buffer.from(await dump.arrayBuffer()));
    renameSync(tmp, file);
  }
  return new Blob([readFileSync(file)]);
}

export interface TestDatabase {
  database: Database;
  kind: 'pglite' | 'postgres';
  /** The PostgreSQL URL of this test's database (postgres only), for a second server on the same data. */
  url: string | null;
  drop(): Promise<void>;
}

/** A fresh, migrated database for one test file, on the engine the run asks for. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (testDbKind() === 'pglite') {
    const database = await openDatabase({ pgliteDir: 'memory://', pgliteLoad: await migratedPgliteDump() });
    return { database, kind: 'pglite', url: null, drop: () => database.close() };
  }
  const adminUrl = process.env.OPSLINE_TEST_PG_URL;
  if (!adminUrl) throw new Error('OPSLINE_TEST_DB=postgres needs OPSLINE_TEST_PG_URL (npm test starts PostgreSQL and sets it)');
  const name = `opsline_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString() });
  await database.migrate();
  return {
    database,
    kind: 'postgres',
    url: url.toString(),
    drop: async () => {
      await database.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
