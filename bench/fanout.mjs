// `npm run bench -- fanout`: remote execution fan-out. N agents (100, then
// 1,000; each its own identity and gRPC connection, hosted a few hundred per
// process by bench/_agent-pool.mjs) run `uname -r` through POST /api/v1/exec;
// a round lasts from the API call until the last result is recorded (seen by
// GET /api/v1/exec/runs/:id, asked every 10 ms). Each N gets a fresh server. Side by side:
// Debian's `ansible all -m command -a 'uname -r' -f 50` against 100 inventory
// aliases of one local sshd. Nothing is asserted about timings; the bench
// fails only when a result is not `success` with this machine's `uname -r`.
//
// Prints ONE JSON line:
//   {bench:'fanout', machine, node, config, results:{agents:{'100':{p50Ms,minMs,maxMs,serverCpuSec,agentsCpuSec,
//    tasksCpuSec,noise:{otherCpuSec,stealSec},serverRssMiB,agentsRssMiB,processes,getsPerRound,walkMs,agentsDoneP50Ms},
//    '1000':{…}}, ansible:{'100':{p50Ms,minMs,maxMs,forks,controllerCpuSec,machineCpuSec,noise:{stealSec}}}, speedup100}}
// CPU-seconds are summed over all rounds (serverCpuSec includes answering the bench's GETs; tasksCpuSec is the
// bash/uname processes; ansible's machineCpuSec is all CPU on the machine: controller, sshd and the Python module on
// the "hosts", and anyone else's); RSS is read after them. `noise` is what this run could not control.
// To read the round times: getsPerRound is how often the run was asked about; walkMs is reading every result back
// (GET /exec/runs/:id/tasks, done after the clock stopped, to check them),
// agentsDoneP50Ms when the last task ended on its agent (a lower bound). speedup100 = ansible p50 / agents p50.
// Options: --agents 100,1000  --rounds 5  --ansible-hosts 100  --forks 50  --only agents|ansible
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildServer, serverIsStale } from '../scripts/build.mjs';
import { logToStderr } from '../scripts/lib.mjs';
import { benchAnsible, ensureAnsiblePackages } from './_ansible.mjs';
import { benchAgents } from './_fanout-agents.mjs';
import { round1 } from './_proc.mjs';
import { machine } from './_server.mjs';

const { values: opt } = parseArgs({
  options: {
    agents: { type: 'string', default: '100,1000' },
    rounds: { type: 'string', default: '5' },
    'ansible-hosts': { type: 'string', default: '100' },
    forks: { type: 'string', default: '50' },
    only: { type: 'string' },
  },
});
const AGENT_COUNTS = opt.agents.split(',').map(Number);
const ROUNDS = Number(opt.rounds);
const ANSIBLE_HOSTS = Number(opt['ansible-hosts']);
const FORKS = Number(opt.forks);

async function main() {
  logToStderr();
  if (AGENT_COUNTS.some((n) => !Number.isInteger(n) || n < 1 || n > 1000)) throw new Error('--agents: counts from 1 to 1000 (one exec call takes at most 1,000 hosts)');
  if (!(ROUNDS >= 1) || !(ANSIBLE_HOSTS >= 1 && ANSIBLE_HOSTS <= 999) || !(FORKS >= 1)) throw new Error('--rounds, --ansible-hosts (1…999), --forks: positive numbers');
  const withAgents = opt.only !== 'ansible';
  const withAnsible = opt.only !== 'agents';
  // Packages first: a missing one should stop the bench before the long part, not after.
  if (withAnsible) await ensureAnsiblePackages();
  // Only the server: the console is not needed here.
  if (withAgents && serverIsStale() && !(await buildServer())) throw new Error('build failed');
  const expectedStdout = execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim();
  const load0 = round1(loadavg()[0]);

  const results = {};
  if (withAgents) {
    results.agents = {};
    for (const n of AGENT_COUNTS) results.agents[n] = await benchAgents(n, { rounds: ROUNDS, expectedStdout });
  }
  if (withAnsible) {
    results.ansible = { [ANSIBLE_HOSTS]: await benchAnsible({ hosts: ANSIBLE_HOSTS, forks: FORKS, rounds: ROUNDS, expectedStdout }) };
  }
  const ours = results.agents?.[ANSIBLE_HOSTS]?.p50Ms;
  const theirs = results.ansible?.[ANSIBLE_HOSTS]?.p50Ms;
  if (ours && theirs) results[`speedup${ANSIBLE_HOSTS}`] = Math.round((theirs / ours) * 10) / 10;
  // The load before we started anything: other work on the machine shows in every figure (see `noise` too).
  const config = { rounds: ROUNDS, agents: AGENT_COUNTS, ansibleHosts: ANSIBLE_HOSTS, forks: FORKS, kernel: expectedStdout, load1AtStart: load0 };
  console.log(JSON.stringify({ bench: 'fanout', machine: machine(), node: process.version, config, results }));
}

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error(`[opsline] bench fanout failed: ${err.stack ?? err}`);
  process.exit(1);
}
