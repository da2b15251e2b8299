// One process hosting many agents with the agent library, for the fan-out
// benchmark (1,000 Node processes would not fit in memory). Each agent has
// its own state dir, identity and gRPC connection, as on a real host.
//
//   OPSLINE_BENCH_ENROLLMENT_TOKEN=<T> node --import tsx bench/_agent-pool.mjs <server> <stateRoot> <from> <count> [<enrolling>]
//   (the benchmark runs it bundled with esbuild instead: see bench/_agent-pools.mjs)
//
// At most <enrolling> agents (default: all of them) enroll at once. A server
// busy with a thousand enrollments may answer some after the agent's 15 s
// deadline; the agent's retry carries the same enrollment id and gets the
// same identity back, so no token use is spent twice.
//
// Hostnames are <prefix><n> (OPSLINE_BENCH_HOSTNAME_PREFIX, default bench-agent-); the
// job center's tests use the same pool for their fleets.
//
// stdout carries JSON lines for the parent: {ready, agents, pid} once every
// agent is connected, or {error} when one stops on its own (refused, revoked).
// Stops its agents and exits on SIGTERM/SIGINT or when stdin closes (the
// parent is gone), so a killed benchmark leaves no pool behind.
import { join } from 'node:path';
import { createAgent, silentLogger } from '@opsline/agent';
import { eachLimited } from './_each-limited.mjs';

const [server, stateRoot, fromArg, countArg, enrollingArg = countArg] = process.argv.slice(2);
const enrollmentToken = process.env.OPSLINE_BENCH_ENROLLMENT_TOKEN;
const from = Number(fromArg);
const count = Number(countArg);
const enrolling = Number(enrollingArg);
if (!(enrolling >= 1) || !server || !stateRoot || !Number.isInteger(from) || !Number.isInteger(count) || count < 1 || !enrollmentToken) {
  process.stderr.write('usage: OPSLINE_BENCH_ENROLLMENT_TOKEN=<T> node --import tsx bench/_agent-pool.mjs <server> <stateRoot> <from> <count> [<enrolling>]\n');
  process.exit(2);
}

const say = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
const agents = Array.from({ length: count }, (_, k) =>
  createAgent({ server, enrollmentToken, stateDir: join(stateRoot, String(from + k)), hostname: `${process.env.OPSLINE_BENCH_HOSTNAME_PREFIX ?? 'bench-agent-'}${from + k}`, logger: silentLogger }),
);

let stopping = false;
let readiness;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  clearInterval(readiness);
  // No grace: the benchmark is over, nothing that still runs matters.
  await Promise.allSettled(agents.map((a) => a.stop({ graceMs: 0 })));
  process.exit(code);
}

for (const a of agents) {
  void a.done.then((exit) => {
    if (stopping || exit.reason === 'stopped') return;
    say({ error: `${a.status().hostname}: ${exit.reason}: ${exit.message}` });
    void stopAll(1);
  });
}
process.on('SIGTERM', () => void stopAll(0));
process.on('SIGINT', () => void stopAll(0));
process.stdin.on('end', () => void stopAll(0));
process.stdin.resume();

// Readiness is polled in-process (cheap: no I/O) rather than waited on by a fixed sleep.
readiness = setInterval(() => {
  if (agents.every((a) => a.status().phase === 'connected')) {
    clearInterval(readiness);
    say({ ready: true, agents: count, pid: process.pid });
  }
}, 50);

/** Resolves once the agent is connected, or has stopped (its `done` handler above reports why). */
async function connected(agent) {
  let over = false;
  void agent.done.then(() => (over = true));
  while (!over && agent.status().phase !== 'connected') await new Promise((r) => setTimeout(r, 20));
}

try {
  await eachLimited(agents, enrolling, async (agent) => {
    await agent.start();
    await connected(agent);
  }, () => stopping);
} catch (err) {
  say({ error: `starting agents: ${err.message}` });
  await stopAll(1);
}
