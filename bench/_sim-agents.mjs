// SIMULATED agents for the job-center benchmark (bench/jobs.mjs): one process
// holding many protocol-speaking agents, written straight against
// proto/agent/v1/agent.proto with @grpc/grpc-js — not the agent library. Each
// one enrolls (its own hostname sim-agent-<n>, machine id and IP 10.77.x.y),
// opens its own gRPC connection and Connect stream, says Hello with the facts
// hash it enrolled with (so the server asks no Facts), and beats every 15 s.
// A TaskAssign is acknowledged and answered at once with a successful result:
// no process is spawned, so a run measures the server and not fork/exec. A
// TaskKill gets a killed result. Nothing is stored and nothing reconnects: a
// stream that ends while the benchmark runs is reported as an error.
//
//   OPSLINE_BENCH_ENROLLMENT_TOKEN=<T> node bench/_sim-agents.mjs <host:port> <from> <count> [<enrolling>]
//
// At most <enrolling> (default 50) agents enroll at once; an Enroll answered
// too late is retried with the same enrollment id (same identity, one use of
// the token). stdout: JSON lines for the parent (bench/_pool-processes.mjs),
// {ready, agents, pid} once every agent has its Welcome, or {error}. Exits when
// stdin closes (the parent is done or gone), or on SIGTERM/SIGINT.
import { createHash, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { eachLimited } from './_each-limited.mjs';

const [target, fromArg, countArg, enrollingArg = '50'] = process.argv.slice(2);
const enrollmentToken = process.env.OPSLINE_BENCH_ENROLLMENT_TOKEN;
const from = Number(fromArg);
const count = Number(countArg);
const enrolling = Number(enrollingArg);
if (!target || !Number.isInteger(from) || !Number.isInteger(count) || count < 1 || !(enrolling >= 1) || !enrollmentToken) {
  process.stderr.write('usage: OPSLINE_BENCH_ENROLLMENT_TOKEN=<T> node bench/_sim-agents.mjs <host:port> <from> <count> [<enrolling>]\n');
  process.exit(2);
}

const VERSION = '0.0.0-sim';
const HEARTBEAT_MS = 15_000;
const ENROLL_DEADLINE_MS = 30_000;
// The agent's own loader options (packages/agent/src/transport/proto.ts): the shapes the server reads.
const LOADER = { keepCase: false, longs: Number, enums: String, bytes: Buffer, defaults: true, oneofs: true };
const CHANNEL = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 0,
  // Each simulated agent its own HTTP/2 connection, as on a real host.
  'grpc.use_local_subchannel_pool': 1,
};
const EMPTY = Buffer.alloc(0);

const protoPath = fileURLToPath(new URL('../proto/agent/v1/agent.proto', import.meta.url));
const { AgentService } = grpc.loadPackageDefinition(protoLoader.loadSync(protoPath, LOADER)).opsline.agent.v1;

const say = (msg) => process.stdout.write(`${JSON.stringify(msg)}\n`);
let stopping = false;
const agents = [];

function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const a of agents) {
    clearInterval(a.beat);
    a.stream?.cancel();
    a.client.close();
  }
  process.exit(code);
}
function fail(message) {
  if (stopping) return;
  say({ error: message });
  stopAll(1);
}

/** A made-up host: facts as the Enroll carries them, and their hash (the agent hashes fields 1–11). */
function simHost(n) {
  const hostname = `sim-agent-${n}`;
  const machineId = createHash('sha256').update(`opsline-sim-agent\0${n}`).digest('hex').slice(0, 32);
  const facts = {
    hostname, ips: [`10.77.${(n >> 8) & 255}.${n & 255}`], os: 'Simulated', kernel: 'sim', arch: 'x64', cpuModel: 'simulated', cpuCores: 1,
    memoryTotalBytes: 2 ** 30, disks: [], machineId, serial: '',
  };
  return { hostname, machineId, facts: { ...facts, factsHash: createHash('sha256').update(JSON.stringify(facts)).digest('hex') } };
}

/** Enroll, retried (same enrollment id) while the server is too busy to answer in time. */
async function enroll(agent) {
  const request = {
    enrollmentToken, hostname: agent.host.hostname, machineId: agent.host.machineId, facts: agent.host.facts, agentVersion: VERSION, enrollmentId: randomUUID(),
  };
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Promise((resolve, reject) => {
        agent.client.Enroll(request, { deadline: Date.now() + ENROLL_DEADLINE_MS }, (err, res) => (err ? reject(err) : resolve(res)));
      });
    } catch (err) {
      const retry = err.code === grpc.status.DEADLINE_EXCEEDED || err.code === grpc.status.UNAVAILABLE;
      if (!retry || attempt >= 5 || stopping) throw new Error(`${agent.host.hostname}: Enroll: ${err.details || err.message}`);
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

function result(taskId, status, { exitCode = 0, hasExitCode = true, signal = '' } = {}) {
  const now = Date.now();
  return {
    taskResult: {
      taskId, status, exitCode, hasExitCode, signal, stdoutTail: EMPTY, stderrTail: EMPTY, stdoutTotalBytes: 0, stderrTotalBytes: 0,
      startedAtUnixMs: now, finishedAtUnixMs: now, error: '',
    },
  };
}

/** Opens the agent's session; resolves at its Welcome. */
function connect(agent, identity) {
  return new Promise((resolve, reject) => {
    const stream = agent.client.Connect();
    agent.stream = stream;
    const send = (msg) => stream.write(msg);
    stream.on('data', (msg) => {
      switch (msg.body) {
        case 'welcome':
          agent.beat = setInterval(() => send({ heartbeat: { sentAtUnixMs: Date.now(), runningTasks: 0, queuedTasks: 0 } }), HEARTBEAT_MS);
          resolve();
          return;
        case 'taskAssign':
          send({ ack: { messageId: msg.messageId, error: '' } });
          send(result(msg.taskAssign.taskId, 'TASK_STATUS_SUCCESS'));
          return;
        case 'taskKill':
          send({ ack: { messageId: msg.messageId, error: '' } });
          send(result(msg.taskKill.taskId, 'TASK_STATUS_KILLED', { exitCode: 0, hasExitCode: false, signal: 'SIGTERM' }));
          return;
        case 'resultAck':
          return;
        case 'revoked':
          return fail(`${agent.host.hostname}: revoked: ${msg.revoked.reason}`);
        case 'error':
          if (msg.error.fatal) fail(`${agent.host.hostname}: server error ${msg.error.code}: ${msg.error.message}`);
          return;
      }
    });
    stream.on('error', (err) => {
      reject(err);
      fail(`${agent.host.hostname}: stream failed: ${err.details || err.message}`);
    });
    stream.on('end', () => fail(`${agent.host.hostname}: the server ended the stream`));
    send({
      hello: {
        agentId: identity.agentId, agentSecret: identity.agentSecret, agentVersion: VERSION, hostname: agent.host.hostname,
        factsHash: agent.host.facts.factsHash, runningTaskIds: [], maxTasks: 16,
      },
    });
  });
}

process.on('SIGTERM', () => stopAll(0));
process.on('SIGINT', () => stopAll(0));
process.stdin.on('end', () => stopAll(0));
process.stdin.resume();

for (let k = 0; k < count; k++) {
  agents.push({ host: simHost(from + k), client: new AgentService(target, grpc.credentials.createInsecure(), CHANNEL), stream: null, beat: null });
}
try {
  await eachLimited(agents, enrolling, async (agent) => connect(agent, await enroll(agent)), () => stopping);
  say({ ready: true, agents: count, pid: process.pid });
} catch (err) {
  fail(`starting simulated agents: ${err.message}`);
}
