/**
 * Parsers for the /proc and /etc text the collectors read. Pure functions
 * over the text, so they are tested with fixture strings from real hosts.
 */

/** `PRETTY_NAME` of /etc/os-release, else `NAME VERSION`, else "Linux". */
export function parseOsRelease(text: string): string {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (!m?.[1] || m[2] === undefined) continue;
    values.set(m[1], unquote(m[2]));
  }
  const pretty = values.get('PRETTY_NAME');
  if (pretty) return pretty;
  const name = values.get('NAME');
  if (name) return [name, values.get('VERSION')].filter(Boolean).join(' ');
  return 'Linux';
}

/** os-release values are shell-quoted: "…" with \-escapes, or '…', or bare. */
function unquote(raw: string): string {
  const v = raw.trim();
  if (v.length >= 2 && v.startsWith('"') && v.endsWith('"')) return v.slice(1, -1).replace(/\\(["\\$`])/g, '$1');
  if (v.length >= 2 && v.startsWith("'") && v.endsWith("'")) return v.slice(1, -1);
  return v;
}

/** Aggregate CPU time of the `cpu` line of /proc/stat, in ticks. */
export interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * The first line: `cpu user nice system idle iowait irq softirq steal guest
 * guest_nice`. guest/guest_nice are already counted in user/nice, so they are
 * left out of the total; idle and iowait are the not-busy time.
 */
export function parseCpuTimes(procStat: string): CpuTimes | undefined {
  const line = procStat.split('\n').find((l) => l.startsWith('cpu '));
  if (!line) return undefined;
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const total = user + nice + system + idle + iowait + irq + softirq + steal;
  return Number.isFinite(total) ? { busy: total - idle - iowait, total } : undefined;
}

/** CPU busy between two samples, 0–100 across all cores; 0 when no time passed. */
export function cpuPercent(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (total <= 0) return 0;
  const busy = Math.min(Math.max(after.busy - before.busy, 0), total);
  return Math.round((busy / total) * 10_000) / 100;
}

/**
 * Memory from /proc/meminfo (kB). Used = total − MemAvailable, what `free`
 * shows as used (cache the kernel can drop is not "used"). Kernels before
 * 3.14 have no MemAvailable: free + buffers + cached then.
 */
export function parseMeminfo(text: string): { totalBytes: number; usedBytes: number } {
  const kb = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line);
    if (m?.[1] && m[2]) kb.set(m[1], Number(m[2]));
  }
  const total = kb.get('MemTotal') ?? 0;
  const available = kb.get('MemAvailable') ?? (kb.get('MemFree') ?? 0) + (kb.get('Buffers') ?? 0) + (kb.get('Cached') ?? 0);
  return { totalBytes: total * 1024, usedBytes: Math.max(total - available, 0) * 1024 };
}

/** `0.52 0.58 0.59 1/467 12345` → the three load averages. */
export function parseLoadavg(text: string): { load1: number; load5: number; load15: number } {
  const [load1 = 0, load5 = 0, load15 = 0] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  return { load1, load5, load15 };
}

/**
 * Received and transmitted bytes since boot, summed over the interfaces of
 * /proc/net/dev except loopback (`iface: rx_bytes … (8 rx fields) tx_bytes …`).
 */
export function parseNetDev(text: string): { rxBytes: number; txBytes: number } {
  let rxBytes = 0;
  let txBytes = 0;
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon === -1) continue;
    const name = line.slice(0, colon).trim();
    if (name === 'lo' || name === '') continue;
    const fields = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (fields.length < 9) continue;
    rxBytes += fields[0] ?? 0;
    txBytes += fields[8] ?? 0;
  }
  return { rxBytes, txBytes };
}
