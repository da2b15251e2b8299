// Starts `count` agents as a few pool processes (bench/_agent-pool.mjs), each
// hosting a share of them, and waits until every pool says all its agents are
// connected.
import { join } from 'node:path';
import { bundleAgentScript } from '../scripts/build.mjs';
import { ROOT } from '../scripts/lib.mjs';
import { startPoolProcesses } from './_pool-processes.mjs';

/**
 * Resolves to {pids, stop()} once all agents are connected. Agents are named
 * bench-agent-0 … bench-agent-<count-1>, with state dirs under `stateRoot`.
 */
export async function startAgentPools({ server, token, count, processes, stateRoot, timeoutMs = 10 * 60_000 }) {
  // Bundled like the agent shipped to hosts: plain Node runs it, without tsx compiling TypeScript (and its memory) in each pool.
  const script = join(stateRoot, 'agent-pool.mjs');
  await bundleAgentScript(join(ROOT, 'bench/_agent-pool.mjs'), script);
  // Every agent enrolls at once, as a fleet rolled out together would (OPSLINE_BENCH_ENROLLING caps how many are in flight).
  const enrolling = String(Math.max(1, Math.ceil(Number(process.env.OPSLINE_BENCH_ENROLLING ?? count) / processes)));
  return startPoolProcesses({
    script,
    args: (from, n) => [server, stateRoot, String(from), String(n), enrolling],
    env: { OPSLINE_BENCH_ENROLLMENT_TOKEN: token },
    count,
    processes,
    what: 'agents',
    timeoutMs,
  });
}
