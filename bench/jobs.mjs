// `npm run bench -- jobs`: the job center's scheduler at fleet scale. A fresh
// server (PGlite) and 1,000 SIMULATED agents (bench/_sim-agents.mjs: protocol-
// speaking gRPC clients, 250 per process by default, that answer every task at once with
// a successful result and spawn nothing), all on one leaf node; then rounds of
// POST /api/v1/job-runs {inline bash `true`, targets: that node, concurrency
// 100}. A round lasts from the POST until a GET /api/v1/job-runs/:id (asked
// every 20 ms) first sees the run ended; it must end `success` on every host.
// Meanwhile the run page's other call, GET /job-runs/:id/hosts?limit=50, is
// asked every 20 ms too, and the latency of both is kept.
// Target (the issue): ≤ 3 s for 1,000 `true` tasks; ≤ 1 ms of server CPU per host.
//
// Prints ONE JSON line:
//   {bench:'jobs', machine, node, config:{agents, concurrency, rounds, processes, load1AtStart},
//    results:{p50Ms, minMs, maxMs, serverCpuSec, perHostServerMs, idlePolling:{cpuSec, gets, cpuMsPerGet}, pollingGets,
//             perHostServerMsNetOfPolling, serverRssMiB, simAgentsCpuSec, noise:{otherCpuSec, stealSec},
//             api:{run:{n,p50,p99,max}, hosts:{n,p50,p99,max}}}, note}
// serverCpuSec is the server's CPU over all rounds, answering the bench's polling GETs (both loops: pollingGets of
// them) and the agents' heartbeats included; perHostServerMs = serverCpuSec / (agents × rounds). idlePolling is the
// server over one more window as long as all rounds together, polling the last (finished) run the same way with no
// run going: perHostServerMsNetOfPolling takes pollingGets × its cpuMsPerGet off serverCpuSec. serverRssMiB is read
// after the rounds; simAgentsCpuSec is the simulated agents' processes over the rounds. api: latency of the run
// page's two GETs while runs went (all rounds).
// Options: --agents 1000  --concurrency 100  --rounds 5  --processes 4
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { buildServer, serverIsStale } from '../scripts/build.mjs';
import { log, logToStderr, ROOT } from '../scripts/lib.mjs';
import { startPoolProcesses } from './_pool-processes.mjs';
import { cpuSeconds, machineCpuSeconds, percentiles, round1, round2, rssMiB, spread } from './_proc.mjs';
import { api, awaitOnlineHosts, enrollOnLeaf, machine, startServer } from './_server.mjs';

const { values: opt } = parseArgs({
  options: {
    agents: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '100' },
    rounds: { type: 'string', default: '5' },
    processes: { type: 'string', default: '4' },
  },
});
const AGENTS = Number(opt.agents);
const CONCURRENCY = Number(opt.concurrency);
const ROUNDS = Number(opt.rounds);
const PROCESSES = Number(opt.processes);

/** Pause between two GETs of each polling loop. */
const REPOLL_MS = 20;
const ROUND_DEADLINE_MS = 120_000;
const FINAL = ['success', 'failed', 'partial', 'killed'];

/** GET `path` every REPOLL_MS, timing each, until `until(answer)` (or `stop.done`); answers the last answer. */
async function poll(base, token, path, samples, { until = () => false, stop = { done: false } } = {}) {
  for (;;) {
    const t0 = performance.now();
    const answer = await api(base, 'GET', path, { token });
    samples.push(performance.now() - t0);
    if (until(answer) || stop.done) return answer;
    await sleep(REPOLL_MS);
  }
}

/** One run of `true` on the node; throws (with the run and its first hosts) unless it ends `success` on all. */
async function round(base, token, nodeId, latencies) {
  const t0 = performance.now();
  const started = await api(base, 'POST', '/api/v1/job-runs', {
    token,
    body: { inline: { language: 'bash', content: 'true' }, name: 'bench', targets: { nodeIds: [nodeId] }, strategy: { concurrency: CONCURRENCY } },
  });
  const runPath = `/api/v1/job-runs/${started.id}`;
  const stop = { done: false };
  const hostsPage = poll(base, token, `${runPath}/hosts?limit=50`, latencies.hosts, { stop });
  // Awaited below; until then its failure must not count as unhandled.
  hostsPage.catch(() => undefined);
  const deadline = Date.now() + ROUND_DEADLINE_MS;
  let run;
  try {
    run = await poll(base, token, runPath, latencies.run, {
      until: (r) => {
        if (FINAL.includes(r.status)) return true;
        if (Date.now() > deadline) throw new Error(`run ${r.id} still ${r.status} after ${ROUND_DEADLINE_MS / 1000}s: ${JSON.stringify(r.counts)}`);
        return false;
      },
    });
  } finally {
    stop.done = true;
    await hostsPage;
  }
  const ms = performance.now() - t0;
  if (run.status !== 'success' || run.total !== AGENTS || run.counts.success !== AGENTS) {
    const hosts = await api(base, 'GET', `${runPath}/hosts?limit=5`, { token });
    // Hosts the run ended without (still running): what their tasks say, now.
    const open = await api(base, 'GET', `${runPath}/hosts?status=running&limit=5`, { token });
    const tasks = await Promise.all(open.items.filter((h) => h.taskId).map((h) => api(base, 'GET', `/api/v1/exec/tasks/${h.taskId}`, { token })));
    throw new Error(
      `run ended ${run.status} (${run.total} hosts, expected ${AGENTS}): ${JSON.stringify(run)}\nfirst hosts: ${JSON.stringify(hosts.items)}` +
        (open.items.length ? `\nhosts still running: ${JSON.stringify(open.items)}\ntheir tasks: ${JSON.stringify(tasks.map((t) => ({ ...t, stdout: undefined, stderr: undefined })))}` : ''),
    );
  }
  return { ms, runPath };
}

/** The server's CPU while the run page polls a finished run for `ms`, and how many GETs it answered meanwhile. */
async function idlePolling(server, token, runPath, ms) {
  const cpu0 = cpuSeconds(server.pid).self;
  const stop = { done: false };
  const timer = setTimeout(() => (stop.done = true), ms);
  const samples = [];
  await Promise.all([poll(server.base, token, runPath, samples, { stop }), poll(server.base, token, `${runPath}/hosts?limit=50`, samples, { stop })]);
  clearTimeout(timer);
  return { cpu: cpuSeconds(server.pid).self - cpu0, gets: samples.length };
}

async function main() {
  logToStderr();
  if (!(AGENTS >= 1 && CONCURRENCY >= 1 && ROUNDS >= 1 && PROCESSES >= 1)) throw new Error('--agents, --concurrency, --rounds, --processes: positive numbers');
  // Only the server: the console is not needed here.
  if (serverIsStale() && !(await buildServer())) throw new Error('build failed');
  const load0 = round1(loadavg()[0]);
  const tag = `bench jobs: ${AGENTS} simulated agents`;
  log(`${tag}: starting server`);
  const server = await startServer({});
  let sims;
  try {
    const { base } = server;
    const { token, node, enrollmentToken } = await enrollOnLeaf(server, 'bench-jobs', AGENTS);
    log(`${tag}: starting them in ${PROCESSES} processes`);
    const t0 = performance.now();
    sims = await startPoolProcesses({
      script: `${ROOT}/bench/_sim-agents.mjs`,
      args: (from, n) => [`127.0.0.1:${server.grpcPort}`, String(from), String(n)],
      env: { OPSLINE_BENCH_ENROLLMENT_TOKEN: enrollmentToken },
      count: AGENTS,
      processes: PROCESSES,
      what: 'simulated agents',
    });
    await awaitOnlineHosts(base, token, AGENTS);
    log(`${tag}: all online after ${round1((performance.now() - t0) / 1000)}s; ${ROUNDS} runs of \`true\`, concurrency ${CONCURRENCY}`);

    const latencies = { run: [], hosts: [] };
    const pids = [server.pid, ...sims.pids, process.pid];
    const machine0 = machineCpuSeconds();
    const cpu0 = pids.map((pid) => cpuSeconds(pid).self);
    const done = [];
    for (let r = 0; r < ROUNDS; r++) {
      done.push(await round(base, token, node.id, latencies));
      log(`${tag}: round ${r + 1}: ${Math.round(done.at(-1).ms)} ms`);
    }
    const cpu1 = pids.map((pid) => cpuSeconds(pid).self);
    const machine1 = machineCpuSeconds();
    const serverRssMiB = Math.round(rssMiB(server.pid));
    const used = cpu1.map((c, i) => c - cpu0[i]);
    const serverCpu = used[0];
    const simCpu = used.slice(1, -1).reduce((a, b) => a + b, 0);
    const windowMs = done.reduce((s, d) => s + d.ms, 0);
    log(`${tag}: ${Math.round(windowMs)} ms of polling a finished run, for the server's CPU with no run going`);
    const idle = await idlePolling(server, token, done.at(-1).runPath, windowMs);
    // GETs are slower while a run goes, so fewer are asked than in the idle window: scale by the count.
    const gets = latencies.run.length + latencies.hosts.length;
    const pollingCpu = (idle.cpu / idle.gets) * gets;
    const hostRuns = AGENTS * ROUNDS;
    const results = {
      ...spread(done.map((d) => d.ms)),
      serverCpuSec: round2(serverCpu),
      perHostServerMs: round2((serverCpu * 1000) / hostRuns),
      idlePolling: { cpuSec: round2(idle.cpu), gets: idle.gets, cpuMsPerGet: round2((idle.cpu * 1000) / idle.gets) },
      pollingGets: gets,
      perHostServerMsNetOfPolling: round2(((serverCpu - pollingCpu) * 1000) / hostRuns),
      serverRssMiB,
      simAgentsCpuSec: round2(simCpu),
      // CPU used during the rounds by anything but the server, the simulated agents and this bench, and time the host
      // did not run this VM's CPUs: large values make every figure noisy.
      noise: { otherCpuSec: round2(machine1.busy - machine0.busy - used.reduce((a, b) => a + b, 0)), stealSec: round2(machine1.steal - machine0.steal) },
      api: { run: percentiles(latencies.run), hosts: percentiles(latencies.hosts) },
    };
    const note =
      'serverCpuSec and perHostServerMs include answering the polling GETs (run and hosts?limit=50, each every 20 ms: pollingGets) and heartbeats; ' +
      'idlePolling is the same polling of a finished run for as long with no run going; perHostServerMsNetOfPolling subtracts pollingGets × its cpuMsPerGet';
    const config = { agents: AGENTS, concurrency: CONCURRENCY, rounds: ROUNDS, processes: PROCESSES, load1AtStart: load0 };
    console.log(JSON.stringify({ bench: 'jobs', machine: machine(), node: process.version, config, results, note }));
  } finally {
    await sims?.stop();
    await server.stop();
  }
}

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error(`[opsline] bench jobs failed: ${err.stack ?? err}`);
  process.exit(1);
}
