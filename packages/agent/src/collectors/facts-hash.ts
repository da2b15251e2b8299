import { createHash } from 'node:crypto';
import type { HostFacts } from './facts.js';

/**
 * The facts hash Hello carries (agent.proto Facts.facts_hash): hex sha256 of
 * the canonical JSON of Facts fields 1–11 — proto field names (snake_case),
 * keys sorted at every level, numbers as JSON numbers, lists in the order the
 * agent sends them (IPs sorted, disks by mount point). The server only
 * compares it with the hash it stored, so any agent that hashes the same way
 * gets "send facts" only when something changed (seed 3.6).
 */
export function factsHash(facts: HostFacts): string {
  const wire = {
    hostname: facts.hostname,
    ips: facts.ips,
    os: facts.os,
    kernel: facts.kernel,
    arch: facts.arch,
    cpu_model: facts.cpuModel,
    cpu_cores: facts.cpuCores,
    memory_total_bytes: facts.memoryTotalBytes,
    disks: facts.disks.map((d) => ({ mount: d.mount, device: d.device, fs_type: d.fsType, total_bytes: d.totalBytes })),
    machine_id: facts.machineId,
    serial: facts.serial,
  };
  return createHash('sha256').update(canonicalJson(wire)).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
