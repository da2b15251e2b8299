import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { arch, cpus, hostname as osHostname, networkInterfaces, release, totalmem } from 'node:os';
import { diskSpace, hostDiskMounts } from './mounts.js';
import { parseOsRelease } from './proc-text.js';

/** What the agent reports about its host (agent.proto Facts, fields 1–11). */
export interface HostFacts {
  hostname: string;
  ips: string[];
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpuCores: number;
  memoryTotalBytes: number;
  disks: DiskFacts[];
  machineId: string;
  serial: string;
}

export interface DiskFacts {
  mount: string;
  device: string;
  fsType: string;
  totalBytes: number;
}

export interface FactsOptions {
  /** `--hostname`: reported instead of the OS's, and the machine identity is derived from it. */
  hostnameOverride?: string;
}

/**
 * Collects the host's facts. With a hostname override, several agents share
 * one machine (tests, benchmarks, containers), so the machine id becomes a
 * hash of the real one and the override (stable, and different per agent),
 * and the hardware serial is left empty: the server must not take them for
 * one host because they share a chassis.
 */
export async function collectFacts(options: FactsOptions = {}): Promise<HostFacts> {
  const [osRelease, machineId, serial, mountsText] = await Promise.all([
    readText('/etc/os-release').then((t) => (t === undefined ? readText('/usr/lib/os-release') : t)),
    readMachineId(),
    readText('/sys/class/dmi/id/product_serial'),
    readText('/proc/mounts'),
  ]);
  const override = options.hostnameOverride;
  const cpuList = cpus();
  return {
    hostname: override ?? osHostname(),
    ips: hostIps(),
    os: parseOsRelease(osRelease ?? ''),
    kernel: release(),
    arch: arch(),
    cpuModel: cpuList[0]?.model.trim() ?? '',
    cpuCores: cpuList.length,
    memoryTotalBytes: totalmem(),
    disks: await readDisks(mountsText ?? ''),
    machineId: override === undefined ? machineId : derivedMachineId(machineId, override),
    serial: override === undefined ? cleanSerial(serial) : '',
  };
}

/** A stable machine id for an agent with a hostname override: 32 hex like /etc/machine-id. */
export function derivedMachineId(machineId: string, hostnameOverride: string): string {
  return createHash('sha256').update(`opsline-agent-machine-id\0${machineId}\0${hostnameOverride}`).digest('hex').slice(0, 32);
}

/** Non-loopback addresses, sorted. IPv6 link-local (fe80::) is left out: it is not reachable without its interface. */
export function hostIps(): string[] {
  const ips = new Set<string>();
  for (const addresses of Object.values(networkInterfaces())) {
    for (const a of addresses ?? []) {
      if (a.internal || (a.family === 'IPv6' && /^fe[89ab]/i.test(a.address))) continue;
      ips.add(a.address);
    }
  }
  return [...ips].sort();
}

async function readDisks(mountsText: string): Promise<DiskFacts[]> {
  const disks: DiskFacts[] = [];
  for (const m of await hostDiskMounts(mountsText)) {
    const space = await diskSpace(m.mount);
    if (space) disks.push({ mount: m.mount, device: m.device, fsType: m.fsType, totalBytes: space.totalBytes });
  }
  return disks;
}

async function readMachineId(): Promise<string> {
  const id = (await readText('/etc/machine-id')) ?? (await readText('/var/lib/dbus/machine-id'));
  return id?.trim() ?? '';
}

/** DMI placeholders ("To be filled by O.E.M.", "0") are not serials. */
function cleanSerial(raw: string | undefined): string {
  const s = raw?.trim() ?? '';
  return /^(|0+|none|not specified|default string|to be filled by o\.e\.m\.|system serial number)$/i.test(s) ? '' : s;
}

/** Undefined when the file is missing or unreadable (the DMI serial is root-only). */
async function readText(path: string): Promise<string | undefined> {
  return readFile(path, 'utf8').catch(() => undefined);
}
