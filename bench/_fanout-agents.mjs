// The agents side of the fan-out benchmark: a fresh server, N agents in a few
// pool processes, then rounds of `uname -r` on all of them through the API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { log, onShutdown } from '../scripts/lib.mjs';
import { startAgentPools } from './_agent-pools.mjs';
import { cpuSeconds, machineCpuSeconds, round1, round2, rssMiB, spread } from './_proc.mjs';
import { allPages, api, awaitOnlineHosts, enrollOnLeaf, startServer } from './_server.mjs';

/** Pause between two looks at the run: bounds the polling load, and the measuring error. */
const REPOLL_MS = 10;
const ROUND_DEADLINE_MS = 120_000;
const PAGE = 500;

/**
 * Waits until every task of the run has its result recorded, asking the
 * run's counts (one cheap GET) every REPOLL_MS. A task's `finishedAt` is the
 * agent's clock at exit, not when the server recorded it, so the time taken
 * is when a GET first saw the run done.
 */
async function awaitRun(base, token, runId) {
  const deadline = Date.now() + ROUND_DEADLINE_MS;
  let gets = 0;
  for (;;) {
    const run = await api(base, 'GET', `/api/v1/exec/runs/${runId}`, { token });
    gets++;
    if (run.done === run.total) return { run, lastSeen: performance.now(), gets };
    if (Date.now() > deadline) throw new Error(`run ${runId}: ${run.total - run.done} of ${run.total} tasks unfinished after ${ROUND_DEADLINE_MS / 1000}s`);
    await sleep(REPOLL_MS);
  }
}

/** Every task of a run (after the clock stopped: only to check the results). */
const runTasks = (base, token, runId) => allPages(base, `/api/v1/exec/runs/${runId}/tasks?limit=${PAGE}`, token);

/** One round: the API call, then every result recorded; throws unless all are `success` with the expected output. */
async function round(base, token, hostIds, expectedStdout) {
  const t0 = performance.now();
  const t0Epoch = Date.now();
  const { runId, taskIds } = await api(base, 'POST', '/api/v1/exec', { token, body: { hostIds, script: 'uname -r' } });
  const { lastSeen, gets } = await awaitRun(base, token, runId);
  const views = await runTasks(base, token, runId);
  const bad = views.filter((v) => v.status !== 'success' || v.stdout.trim() !== expectedStdout);
  if (bad.length) {
    const v = bad[0];
    throw new Error(`${bad.length}/${views.length} results wrong, e.g. ${v.hostname}: ${v.status} exit ${v.exitCode} stdout ${JSON.stringify(v.stdout.slice(0, 200))} error ${v.error}`);
  }
  const hosts = new Set(views.map((v) => v.hostId));
  if (views.length !== taskIds.length || hosts.size !== hostIds.length || !hostIds.every((h) => hosts.has(h))) throw new Error('the results do not cover every host asked for');
  // The agents share this machine's clock: when the last task ended on its agent, a lower bound of when it was recorded.
  const lastFinished = Math.max(...views.map((v) => Date.parse(v.finishedAt)));
  return { ms: lastSeen - t0, gets, runId, agentsDoneMs: lastFinished - t0Epoch };
}

/** Agent processes to host `count` agents: 25 per process up to 4, then at most 10 processes. */
export const poolProcesses = (count) => Math.min(10, Math.max(1, Math.ceil(count / 25)));

/** Runs the agents side for `count` agents; resolves to its figures. */
export async function benchAgents(count, { rounds, expectedStdout }) {
  const tag = `bench fanout: ${count} agents`;
  log(`${tag}: starting server`);
  const server = await startServer({});
  const stateRoot = mkdtempSync(join(tmpdir(), 'opsline-bench-agents-'));
  onShutdown(() => rmSync(stateRoot, { recursive: true, force: true }));
  let pools;
  try {
    const { base } = server;
    const { token, enrollmentToken } = await enrollOnLeaf(server, 'bench-fanout', count);

    const processes = poolProcesses(count);
    log(`${tag}: starting them in ${processes} processes`);
    const started = performance.now();
    pools = await startAgentPools({ server: `grpc://127.0.0.1:${server.grpcPort}`, token: enrollmentToken, count, processes, stateRoot });
    const hostIds = await awaitOnlineHosts(base, token, count);
    log(`${tag}: all online after ${round1((performance.now() - started) / 1000)}s; ${rounds} rounds of uname -r`);

    const machine0 = machineCpuSeconds();
    const cpu0 = [server.pid, ...pools.pids, process.pid].map(cpuSeconds);
    const done = [];
    for (let r = 0; r < rounds; r++) {
      done.push(await round(base, token, hostIds, expectedStdout));
      log(`${tag}: round ${r + 1}: ${Math.round(done.at(-1).ms)} ms (${done.at(-1).gets} GETs)`);
    }
    const cpu1 = [server.pid, ...pools.pids, process.pid].map(cpuSeconds);
    const machine1 = machineCpuSeconds();
    const serverRssMiB = Math.round(rssMiB(server.pid));
    const agentsRssMiB = Math.round(pools.pids.reduce((s, pid) => s + rssMiB(pid), 0));
    // What reading N results back costs by itself (done after each round's clock stopped, to check them).
    const walkStart = performance.now();
    await runTasks(base, token, done.at(-1).runId);
    const walkMs = Math.round(performance.now() - walkStart);
    const used = (i, k) => cpu1[i][k] - cpu0[i][k];
    const poolIdx = pools.pids.map((_, i) => i + 1);
    const serverCpu = used(0, 'self');
    const agentsCpu = poolIdx.reduce((s, i) => s + used(i, 'self'), 0);
    // The task processes themselves (bash, uname), reaped by the pools.
    const tasksCpu = poolIdx.reduce((s, i) => s + used(i, 'children'), 0);
    const benchCpu = used(cpu0.length - 1, 'self');
    return {
      ...spread(done.map((d) => d.ms)),
      serverCpuSec: round2(serverCpu),
      agentsCpuSec: round2(agentsCpu),
      tasksCpuSec: round2(tasksCpu),
      // Noise: CPU used meanwhile by anything but the server, the agents, their tasks and this bench (kernel
      // threads, other users), and time the host did not run this VM's CPUs. Large values make the figures noisy.
      noise: {
        otherCpuSec: round2(machine1.busy - machine0.busy - serverCpu - agentsCpu - tasksCpu - benchCpu),
        stealSec: round2(machine1.steal - machine0.steal),
      },
      serverRssMiB,
      agentsRssMiB,
      processes,
      getsPerRound: Math.round(done.reduce((n, d) => n + d.gets, 0) / rounds),
      walkMs,
      agentsDoneP50Ms: spread(done.map((d) => d.agentsDoneMs)).p50Ms,
    };
  } finally {
    await pools?.stop();
    await server.stop();
    rmSync(stateRoot, { recursive: true, force: true });
  }
}
