// `npm run bench -- api`: HTTP throughput and latency of the built server on
// two authenticated reads — GET /api/v1/auth/me and GET /api/v1/events?limit=50
// — first on embedded PGlite, then on a throwaway PostgreSQL. 50 connections,
// warm-up then a measured run per endpoint, loopback only.
//
// Prints ONE JSON line:
//   {bench:'api', machine:{cpus,model,mem}, node, results:{pglite:{authMe:{rps,p50,p99}, events50:{…}}, postgres:{…}}}
// Options: --duration <s> (default 10), --warmup <s> (default 3), --connections <n> (default 50),
//          --seed <events> (default 300), --only pglite|postgres.
import autocannon from 'autocannon';
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { buildIfStale } from '../scripts/build.mjs';
import { log, logToStderr } from '../scripts/lib.mjs';
import { api, machine, onPostgres, startServer } from './_server.mjs';

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    seed: { type: 'string', default: '300' },
    only: { type: 'string' },
  },
});
const DURATION = Number(opt.duration);
const WARMUP = Number(opt.warmup);
const CONNECTIONS = Number(opt.connections);
const SEED_EVENTS = Number(opt.seed);

/**
 * Seeds the event log: every user or team created appends an event. Teams
 * are cheap; users cost an argon2 hash each, so they are the smaller share.
 */
async function seedEvents(base, token, count) {
  const tag = randomBytes(3).toString('hex');
  const jobs = Array.from({ length: count }, (_, i) =>
    i % 4 === 0
      ? () => api(base, 'POST', '/api/v1/users', { token, body: { username: `bench-${tag}-${i}`, password: `pw-${tag}-${i}-long` } })
      : () => api(base, 'POST', '/api/v1/teams', { token, body: { name: `bench ${tag} ${i}` } }),
  );
  // A few at a time: enough to overlap hashing with I/O, few enough not to trip limits.
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (queue.length) await queue.shift()();
    }),
  );
  const page = await api(base, 'GET', '/api/v1/events?limit=50', { token });
  if ((page.items?.length ?? 0) < 50) throw new Error(`seeding left ${page.items?.length ?? 0} events, want ≥ 50`);
}

// ---------------------------------------------------------------- load

function cannon(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, res) => (err ? reject(err) : resolve(res)));
  });
}

/** Warm-up (discarded) then the measured run; figures in req/s and ms. */
async function measure(url, token) {
  const opts = { url, connections: CONNECTIONS, headers: { authorization: `Bearer ${token}` } };
  await cannon({ ...opts, duration: WARMUP });
  const r = await cannon({ ...opts, duration: DURATION });
  const out = { rps: Math.round(r.requests.average), p50: r.latency.p50, p99: r.latency.p99 };
  if (r.non2xx || r.errors || r.timeouts) Object.assign(out, { non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts });
  return out;
}

async function benchBackend(name, env) {
  log(`bench api: ${name}: starting server`);
  const server = await startServer(env);
  try {
    const { token } = await api(server.base, 'POST', '/api/v1/auth/login', {
      body: { username: 'admin', password: server.password },
    });
    log(`bench api: ${name}: seeding ${SEED_EVENTS} events`);
    await seedEvents(server.base, token, SEED_EVENTS);
    log(`bench api: ${name}: GET /api/v1/auth/me (${WARMUP}s warm-up + ${DURATION}s, ${CONNECTIONS} connections)`);
    const authMe = await measure(`${server.base}/api/v1/auth/me`, token);
    log(`bench api: ${name}: GET /api/v1/events?limit=50`);
    const events50 = await measure(`${server.base}/api/v1/events?limit=50`, token);
    return { authMe, events50 };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------- main

async function main() {
  logToStderr();
  if (!(await buildIfStale())) throw new Error('build failed');
  const results = {};
  if (opt.only !== 'postgres') results.pglite = await benchBackend('pglite', {});
  if (opt.only !== 'pglite') {
    results.postgres = await onPostgres('opsline_bench', (url) => benchBackend('postgres', { DATABASE_URL: url }));
  }
  const line = {
    bench: 'api',
    machine: machine(),
    node: process.version,
    config: { duration: DURATION, warmup: WARMUP, connections: CONNECTIONS, seedEvents: SEED_EVENTS },
    results,
  };
  console.log(JSON.stringify(line));
}

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error(`[opsline] bench api failed: ${err.stack ?? err}`);
  process.exit(1);
}
