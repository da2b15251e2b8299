// `npm run bench -- tree`: the service tree and CMDB at scale, through the
// built server's HTTP API, on embedded PGlite and then on a throwaway
// PostgreSQL. Seeds ≈100,000 nodes (depth 6) and 100,000 hosts straight into
// the database (see _tree-seed.mjs), then measures one request at a time:
//   children   GET /tree/nodes?parentId=<node with 10,000 children>&limit=50, at random pages
//   subtreeHosts GET /hosts?nodeId=<zone with 50,000 hosts>&descendants=true&limit=50 (first page)
//   scopedHosts  GET /hosts?limit=50 as a user granted on two zones (the visibility filter)
//   search     GET /tree/search?q=<part of a leaf name> (selective) and q=rack-3 (broad)
//   move       POST /tree/nodes/<zone: 11,111 nodes, 50,000 hosts>/move, to and fro
//
// Prints ONE JSON line: {bench:'tree', machine, node, seed:{nodes,hosts,seconds}, results:{pglite:{…}, postgres:{…}}}
// with p50/p99 in ms per measurement. Options: --samples <n> (default 200), --only pglite|postgres.
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { join } from 'node:path';
import pg from 'pg';
import { buildIfStale } from '../scripts/build.mjs';
import { log, logToStderr } from '../scripts/lib.mjs';
import { percentiles } from './_proc.mjs';
import { api, machine, migrateWith, onPostgres, startServer } from './_server.mjs';
import { SEED_SQL, SQL_IDS } from './_tree-seed.mjs';

const { values: opt } = parseArgs({ options: { samples: { type: 'string', default: '200' }, only: { type: 'string' }, moves: { type: 'string', default: '6' } } });
const SAMPLES = Number(opt.samples);
const MOVES = Number(opt.moves);

/** Runs the seed and answers the ids the measurements need, on any `query(sql) → rows`. */
async function seed(query) {
  const started = performance.now();
  for (const sql of SEED_SQL) await query(sql);
  const [counts] = await query(SQL_IDS.counts);
  const ids = {
    big: (await query(SQL_IDS.big))[0].id,
    zones: [(await query(SQL_IDS.zone(0)))[0].id, (await query(SQL_IDS.zone(1)))[0].id, (await query(SQL_IDS.zone(2)))[0].id],
    leafNames: (await query(SQL_IDS.leafNames)).map((r) => r.name),
  };
  return { ...counts, seconds: Math.round((performance.now() - started) / 100) / 10, ids };
}

async function seedPglite(env) {
  await migrateWith(env);
  const { PGlite } = await import('@electric-sql/pglite');
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const db = await PGlite.create(join(env.OPSLINE_DATA_DIR, 'pg'), { extensions: { pg_trgm } });
  try {
    return await seed(async (sql) => (await db.query(sql)).rows);
  } finally {
    await db.close();
  }
}

async function seedPostgres(env) {
  await migrateWith(env);
  const client = new pg.Client({ connectionString: env.DATABASE_URL });
  await client.connect();
  try {
    return await seed(async (sql) => (await client.query(sql)).rows);
  } finally {
    await client.end();
  }
}

/** Times `count` calls of `fn(i)` one after another, after a few unmeasured ones. */
async function timed(count, fn) {
  for (let i = 0; i < 5; i++) await fn(i);
  const ms = [];
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  return percentiles(ms);
}

async function measure(base, token, ids, userToken) {
  const get = (path, t = token) => api(base, 'GET', path, { token: t });
  // Walk the crowded node once for its page cursors, then fetch pages at random.
  const cursors = [undefined];
  for (let c; ; ) {
    const page = await get(`/api/v1/tree/nodes?parentId=${ids.big}&limit=50${c ? `&cursor=${c}` : ''}`);
    if (page.items.length !== 50 && page.nextCursor) throw new Error('short page');
    if (!page.nextCursor) break;
    c = page.nextCursor;
    cursors.push(c);
  }
  if (cursors.length !== 200) throw new Error(`expected 200 pages of children, walked ${cursors.length}`);
  const children = await timed(SAMPLES, (i) => get(`/api/v1/tree/nodes?parentId=${ids.big}&limit=50${i % 200 ? `&cursor=${cursors[(i * 37) % 200]}` : ''}`));

  const first = await get(`/api/v1/hosts?nodeId=${ids.zones[0]}&descendants=true&limit=50`);
  if (first.items.length !== 50) throw new Error('zone-0 should list hosts');
  const subtreeHosts = await timed(SAMPLES, () => get(`/api/v1/hosts?nodeId=${ids.zones[0]}&descendants=true&limit=50`));
  const scopedHosts = await timed(SAMPLES, () => get('/api/v1/hosts?limit=50', userToken));

  const names = ids.leafNames;
  const hit = await get(`/api/v1/tree/search?q=${names[0].slice(2, 9)}`);
  if (!hit.items.length) throw new Error('search found nothing');
  const search = await timed(SAMPLES, (i) => get(`/api/v1/tree/search?q=${names[(i + 1) % names.length].slice(2, 9)}`));
  const searchBroad = await timed(Math.min(SAMPLES, 50), () => get('/api/v1/tree/search?q=rack-3'));

  const move = await timed(MOVES, async (i) => {
    const res = await api(base, 'POST', `/api/v1/tree/nodes/${ids.zones[0]}/move`, { token, body: { parentId: i % 2 ? ids.zones[1] : ids.zones[2] } });
    if (!res.path.includes('zone-0')) throw new Error('move answered the wrong node');
  });
  return { children, subtreeHosts, scopedHosts, search, searchBroad, move };
}

async function benchBackend(name, extraEnv, seeder) {
  let seeded;
  const server = await startServer(extraEnv, async (env) => {
    log(`bench tree: ${name}: seeding`);
    seeded = await seeder(env);
    log(`bench tree: ${name}: ${seeded.nodes} nodes, ${seeded.hosts} hosts in ${seeded.seconds}s`);
  });
  try {
    const { token } = await api(server.base, 'POST', '/api/v1/auth/login', { body: { username: 'admin', password: server.password } });
    const user = await api(server.base, 'POST', '/api/v1/users', { token, body: { username: 'scoped', password: 'scoped-password-1' } });
    for (const nodeId of seeded.ids.zones.slice(0, 2)) await api(server.base, 'POST', '/api/v1/grants', { token, body: { userId: user.id, role: 'viewer', nodeId } });
    const login = await api(server.base, 'POST', '/api/v1/auth/login', { body: { username: 'scoped', password: 'scoped-password-1' } });
    log(`bench tree: ${name}: measuring (${SAMPLES} samples each)`);
    const results = await measure(server.base, token, seeded.ids, login.token);
    return { seed: { nodes: seeded.nodes, hosts: seeded.hosts, seconds: seeded.seconds }, ...results };
  } finally {
    await server.stop();
  }
}

async function main() {
  logToStderr();
  if (!(await buildIfStale())) throw new Error('build failed');
  const results = {};
  if (opt.only !== 'postgres') results.pglite = await benchBackend('pglite', {}, seedPglite);
  if (opt.only !== 'pglite') {
    results.postgres = await onPostgres('opsline_bench_tree', (url) => benchBackend('postgres', { DATABASE_URL: url }, seedPostgres));
  }
  console.log(JSON.stringify({ bench: 'tree', machine: machine(), node: process.version, config: { samples: SAMPLES, moves: MOVES }, results }));
}

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error(`[opsline] bench tree failed: ${err.stack ?? err}`);
  process.exit(1);
}
