// Shared by the benchmarks: the built server on free loopback ports, a JSON
// API call (and a paged list), a node to enroll a fleet on, and what machine this is.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort, onShutdown, ROOT, run, startChild, stopChild, waitFor } from '../scripts/lib.mjs';
import { createDatabase, ensurePeerPackages, startPostgres } from '../scripts/peers.mjs';

/**
 * Starts the built server on free loopback ports with a fresh data dir;
 * `beforeStart(env)` runs first (to seed the database the server will open).
 */
export async function startServer(extraEnv, beforeStart) {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsline-bench-'));
  const port = await freePort();
  const grpcPort = await freePort();
  const password = randomBytes(12).toString('hex');
  const env = {
    ...process.env,
    OPSLINE_HOST: '127.0.0.1',
    OPSLINE_PORT: String(port),
    OPSLINE_GRPC_PORT: String(grpcPort),
    OPSLINE_DATA_DIR: dataDir,
    OPSLINE_ADMIN_PASSWORD: password,
    OPSLINE_LOG_LEVEL: 'warn',
    ...extraEnv,
  };
  if (beforeStart) await beforeStart(env);
  // OPSLINE_BENCH_SERVER_NODE_ARGS: extra node flags for the server alone, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it.
  const nodeArgs = (process.env.OPSLINE_BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const proc = startChild(process.execPath, [...nodeArgs, 'packages/server/bin/opsline.mjs', 'serve'], { env, cwd: ROOT });
  let exited = null;
  void proc.exited.then((r) => (exited = r));
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(proc, 15_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  onShutdown(() => {
    proc.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });
  try {
    await waitFor(async () => (await fetch(`${base}/api/v1/health`)).ok, {
      timeoutMs: 90_000,
      what: `server health on ${base}`,
      failIf: () => exited && `server exited (${exited.signal ?? exited.code})`,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  // pid: for benchmarks that read the server's CPU time and RSS from /proc; grpcPort: where agents connect.
  return { base, password, dataDir, stop, pid: proc.child.pid, grpcPort: Number(env.OPSLINE_GRPC_PORT) };
}

export async function api(base, method, path, { token, body } = {}) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
}

/** Every item of a paged list: `path` carries its query (at least `?limit=`), pages follow `nextCursor`. */
export async function allPages(base, path, token) {
  const items = [];
  let cursor;
  do {
    const page = await api(base, 'GET', `${path}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** Logs in as admin, makes a leaf node `name` and an enrollment token for `count` agents landing on it. */
export async function enrollOnLeaf(server, name, count) {
  const { base } = server;
  const { token } = await api(base, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: server.password } });
  const node = await api(base, 'POST', '/api/v1/tree/nodes', { token, body: { name, isLeaf: true } });
  const enrollment = await api(base, 'POST', '/api/v1/agents/enrollment-tokens', { token, body: { expiresInSec: 3600, maxUses: count, nodeId: node.id } });
  return { token, node, enrollmentToken: enrollment.token };
}

/** Waits until GET /api/v1/agents?status=online lists `count` agents with hosts; answers their host ids. */
export function awaitOnlineHosts(base, token, count, timeoutMs = 120_000) {
  return waitFor(async () => {
    const ids = (await allPages(base, '/api/v1/agents?status=online&limit=500', token)).filter((a) => a.hostId).map((a) => a.hostId);
    return ids.length === count && ids;
  }, { timeoutMs, intervalMs: 200, what: `${count} agents online in GET /api/v1/agents` });
}

/** `opsline migrate` with the given environment (a data dir to create the schema in before seeding). */
export async function migrateWith(env) {
  const r = await run(process.execPath, ['packages/server/bin/opsline.mjs', 'migrate'], { env, cwd: ROOT });
  if (r.code !== 0) throw new Error(`opsline migrate failed (${r.code})`);
}

export function machine() {
  const cpu = cpus();
  return { cpus: cpu.length, model: cpu[0]?.model ?? 'unknown', mem: `${Math.round(totalmem() / 2 ** 30)}GiB` };
}

/** `run(name, env)` on PGlite, then on a fresh database of a throwaway PostgreSQL (`only`: one of them): `{pglite, postgres}`. */
export async function onBackends(only, dbName, run) {
  const results = {};
  if (only !== 'postgres') results.pglite = await run('pglite', {});
  if (only !== 'pglite') results.postgres = await onPostgres(dbName, (url) => run('postgres', { DATABASE_URL: url }));
  return results;
}

/** Runs `fn(databaseUrl)` against a fresh database on a throwaway PostgreSQL, stopped after. */
export async function onPostgres(dbName, fn) {
  await ensurePeerPackages(['postgres']);
  const server = await startPostgres();
  try {
    return await fn(createDatabase(server.url, dbName));
  } finally {
    server.stop();
  }
}
