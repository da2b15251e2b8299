// Starts `count` agents as a few pool processes (bench/_agent-pool.mjs), each
// hosting a share of them, and waits until every pool says all its agents are
// connected.
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { bundleAgentScript } from '../scripts/build.mjs';
import { onShutdown, ROOT, startChild, stopChild, waitFor } from '../scripts/lib.mjs';

/**
 * Resolves to {pids, stop()} once all agents are connected. Agents are named
 * bench-agent-0 … bench-agent-<count-1>, with state dirs under `stateRoot`.
 */
export async function startAgentPools({ server, token, count, processes, stateRoot, timeoutMs = 10 * 60_000 }) {
  const pools = [];
  const per = Math.ceil(count / processes);
  // Bundled like the agent shipped to hosts: plain Node runs it, without tsx compiling TypeScript (and its memory) in each pool.
  const script = join(stateRoot, 'agent-pool.mjs');
  await bundleAgentScript(join(ROOT, 'bench/_agent-pool.mjs'), script);
  // Every agent enrolls at once, as a fleet rolled out together would (OPSLINE_BENCH_ENROLLING caps how many are in flight).
  const enrolling = String(Math.max(1, Math.ceil(Number(process.env.OPSLINE_BENCH_ENROLLING ?? count) / processes)));
  for (let from = 0; from < count; from += per) {
    const n = Math.min(per, count - from);
    // OPSLINE_BENCH_AGENT_NODE_ARGS: extra node flags for the pools, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them.
    const nodeArgs = (process.env.OPSLINE_BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = startChild(process.execPath, [...nodeArgs, script, server, stateRoot, String(from), String(n), enrolling], {
      cwd: ROOT,
      env: { ...process.env, OPSLINE_BENCH_ENROLLMENT_TOKEN: token },
      // stdin open: the pool exits when it closes (we are gone); stdout: its JSON lines.
      stdio: ['pipe', 'pipe', 2],
    });
    const pool = { proc, from, n, ready: false, error: null, exited: null };
    void proc.exited.then((r) => (pool.exited = r));
    createInterface({ input: proc.child.stdout }).on('line', (line) => {
      let msg;
      try {
        msg = JSON.parse(line);
      } catch {
        return;
      }
      if (msg.ready) pool.ready = true;
      if (msg.error) pool.error = msg.error;
    });
    pools.push(pool);
  }
  onShutdown(() => {
    for (const p of pools) p.proc.child.kill('SIGKILL');
  });
  const stop = async () => {
    await Promise.all(
      pools.map((p) => {
        p.proc.child.stdin.end();
        return stopChild(p.proc, 15_000);
      }),
    );
  };
  try {
    await waitFor(() => pools.every((p) => p.ready), {
      timeoutMs,
      intervalMs: 50,
      what: `${count} agents in ${pools.length} processes to connect`,
      failIf: () => {
        const bad = pools.find((p) => p.error || p.exited);
        if (!bad) return null;
        return `agents ${bad.from}…${bad.from + bad.n - 1}: ${bad.error ?? `process exited (${bad.exited.signal ?? bad.exited.code})`}`;
      },
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { pids: pools.map((p) => p.proc.child.pid), stop };
}
