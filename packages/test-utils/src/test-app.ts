import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { bootstrapPlatform, buildApp, loadConfig, ManualClock, type Config } from '@opsline/server';
import type { LoginResult, UserView } from '@opsline/contracts';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const ADMIN_PASSWORD = 'admin-password-1';

export interface TestApp {
  app: FastifyInstance;
  clock: ManualClock;
  config: Config;
  dataDir: string;
  testDb: TestDatabase;
  /** Every log line the server wrote, to check nothing secret lands there. */
  logs: string[];
  adminToken: string;
  /** `app.inject` with an optional bearer token and JSON body. */
  call(opts: CallOptions): Promise<LightMyRequestResponse>;
  login(username: string, password: string): Promise<LoginResult>;
  /** A new user with the given global roles, signed in: its id and bearer token. */
  userWithRoles(roles: string[], username?: string): Promise<{ id: string; username: string; token: string; password: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Open the database from the config (PGlite on disk under the data dir), as a real start does. */
  persistent?: boolean;
  /** Reuse a data directory and database: a restart. */
  dataDir?: string;
  database?: TestDatabase;
  /** Leave the data directory and database in place at close, for a restart. */
  keep?: boolean;
}

export interface CallOptions {
  method: InjectOptions['method'];
  url: string;
  token?: string | undefined;
  body?: unknown;
  headers?: Record<string, string>;
  /** The client address the server sees (default 127.0.0.1). */
  remoteAddress?: string;
}

let counter = 0;
export const uniqueName = (prefix: string): string => `${prefix}-${process.pid}-${++counter}`;

/**
 * The real app on a fresh database (PGlite or PostgreSQL, per the run), with a
 * manual clock, captured logs and a signed-in admin. One per test file.
 */
export async function buildTestApp(env: Record<string, string> = {}, opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'opsline-test-'));
  const testDb = opts.database ?? (await createTestDatabase());
  // Server tests never depend on whether the real console has been built: each app serves a one-page stand-in.
  const webDir = join(dataDir, 'web-fixture');
  mkdirSync(webDir, { recursive: true });
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Opsline console (test fixture)</title>');
  const config = loadConfig({
    OPSLINE_DATA_DIR: dataDir, OPSLINE_ADMIN_PASSWORD: ADMIN_PASSWORD, OPSLINE_LOG_LEVEL: 'info', OPSLINE_WEB_DIR: webDir,
    ...(opts.persistent && testDb.url && { DATABASE_URL: testDb.url }),
    ...env,
  });
  const clock = new ManualClock(new Date());
  const logs: string[] = [];
  // Persistent apps open the database from the config as `npm start` does: PGlite files under the data dir.
  const app = await buildApp(config, {
    clock, logStream: { write: (line) => void logs.push(line) }, ...(!opts.persistent && { database: testDb.database }),
  });
  await bootstrapPlatform(app.platform);
  await app.ready();

  const call = (o: CallOptions): Promise<LightMyRequestResponse> =>
    app.inject({
      method: o.method,
      url: o.url,
      headers: { ...(o.token && { authorization: `Bearer ${o.token}` }), ...o.headers },
      ...(o.remoteAddress && { remoteAddress: o.remoteAddress }),
      ...(o.body !== undefined && { payload: o.body as Record<string, unknown> }),
    });

  const login = async (username: string, password: string): Promise<LoginResult> => {
    const res = await call({ method: 'POST', url: '/api/v1/auth/login', body: { username, password } });
    if (res.statusCode !== 200) throw new Error(`login ${username} failed: ${res.statusCode} ${res.body}`);
    return res.json<LoginResult>();
  };

  // An API token, not a session: tests that move the clock past session timeouts keep their admin.
  const session = await login('admin', ADMIN_PASSWORD);
  const created = await call({ method: 'POST', url: '/api/v1/tokens', token: session.token, body: { name: 'test-admin' } });
  const admin = { token: created.json<{ token: string }>().token };
  await call({ method: 'POST', url: '/api/v1/auth/logout', token: session.token });

  return {
    app, clock, config, dataDir, testDb, logs, adminToken: admin.token, call, login,
    async userWithRoles(roles, username = uniqueName('user')) {
      const password = 'user-password-1';
      const res = await call({ method: 'POST', url: '/api/v1/users', token: admin.token, body: { username, password, roles } });
      if (res.statusCode !== 201) throw new Error(`create user failed: ${res.statusCode} ${res.body}`);
      const user = res.json<UserView>();
      return { id: user.id, username: user.username, token: (await login(username, password)).token, password };
    },
    async close() {
      await app.close();
      if (opts.keep) return;
      await testDb.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
