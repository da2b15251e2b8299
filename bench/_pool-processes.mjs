// Runs `count` things (agents, simulated agents) as a few child processes,
// each hosting a share of them, and waits until every process says all of its
// share is connected. The protocol of such a process: JSON lines on stdout,
// {ready: true, pid} once all its share is connected or {error} when it gives
// up; it exits when its stdin closes (the benchmark is over, or gone).
import { createInterface } from 'node:readline';
import { onShutdown, ROOT, startChild, stopChild, waitFor } from '../scripts/lib.mjs';

/**
 * Starts `processes` processes of `node <script> …args(from, n)` (shares
 * from … from+n-1 of `count`); resolves to {pids, stop()} once all are ready.
 */
export async function startPoolProcesses({ script, args, env, count, processes, what, timeoutMs = 10 * 60_000 }) {
  const pools = [];
  const per = Math.ceil(count / processes);
  for (let from = 0; from < count; from += per) {
    const n = Math.min(per, count - from);
    // OPSLINE_BENCH_AGENT_NODE_ARGS: extra node flags for these processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them.
    const nodeArgs = (process.env.OPSLINE_BENCH_AGENT_NODE_ARGS ?? '').split(' ').filter(Boolean);
    const proc = startChild(process.execPath, [...nodeArgs, script, ...args(from, n)], {
      cwd: ROOT,
      env: { ...process.env, ...env },
      // stdin open: the process exits when it closes (we are gone); stdout: its JSON lines.
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
      what: `${count} ${what} in ${pools.length} processes to connect`,
      failIf: () => {
        const bad = pools.find((p) => p.error || p.exited);
        if (!bad) return null;
        return `${what} ${bad.from}…${bad.from + bad.n - 1}: ${bad.error ?? `process exited (${bad.exited.signal ?? bad.exited.code})`}`;
      },
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return { pids: pools.map((p) => p.proc.child.pid), stop };
}
