// CPU time and resident memory of a process, from /proc (Linux only).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second: the unit of the times in /proc/<pid>/stat. */
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * CPU seconds (user + system) of a process: `self` its own, `children` of
 * its children it has waited for (for an agent pool: the task processes).
 */
export function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { self: (Number(f[11]) + Number(f[12])) / CLK_TCK, children: (Number(f[13]) + Number(f[14])) / CLK_TCK };
}

/**
 * CPU seconds the whole machine has spent so far: `busy` (all processes, all
 * CPUs) and `steal` (time this VM's CPUs waited for the host). Differences
 * over a stretch show the full cost, and any other work that ran meanwhile.
 */
export function machineCpuSeconds() {
  const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  return { busy: (user + nice + system + irq + softirq) / CLK_TCK, steal: steal / CLK_TCK };
}

export function rssMiB(pid) {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) / 1024;
}

/** A process's state from /proc ("S (sleeping)", "Z (zombie)"…), or "gone": for messages when a peer stops answering. */
export function processState(pid) {
  try {
    return /^State:\s+(.*)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 'unknown';
  } catch {
    return 'gone';
  }
}

export const round1 = (x) => Math.round(x * 10) / 10;
export const round2 = (x) => Math.round(x * 100) / 100;

/** p50, min and max of a list of milliseconds, rounded. */
export function spread(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { p50Ms: Math.round(s[Math.floor((s.length - 1) / 2)]), minMs: Math.round(s[0]), maxMs: Math.round(s.at(-1)) };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

/** How many, p50, p99 and max of a list of milliseconds, to a tenth. */
export function percentiles(ms) {
  const s = [...ms].sort((a, b) => a - b);
  return { n: s.length, p50: round1(pct(s, 50)), p99: round1(pct(s, 99)), max: round1(s.at(-1)) };
}
