import { readFile } from 'node:fs/promises';
import { diskSpace } from './mounts.js';
import { cpuPercent, parseCpuTimes, parseLoadavg, parseMeminfo, parseNetDev, type CpuTimes } from './proc-text.js';

/** Host figures (agent.proto Metrics). */
export interface HostMetrics {
  collectedAtUnixMs: number;
  cpuPercent: number;
  memoryUsedBytes: number;
  memoryTotalBytes: number;
  load1: number;
  load5: number;
  load15: number;
  disks: { mount: string; usedBytes: number; totalBytes: number }[];
  networkRxBytes: number;
  networkTxBytes: number;
}

/**
 * Samples host metrics from /proc. CPU % is the busy share since the
 * previous sample, so the sampler keeps that sample; the first call measures
 * from when the sampler was primed.
 */
export class MetricsSampler {
  private previousCpu: CpuTimes | undefined;

  constructor(private readonly proc = '/proc') {}

  /** Takes the CPU baseline (call at start, so the first metrics have an interval to measure). */
  async prime(): Promise<void> {
    this.previousCpu = parseCpuTimes(await this.read('stat'));
  }

  /** `mounts`: the disks from the facts; used/total is read fresh for each. */
  async sample(mounts: readonly string[]): Promise<HostMetrics> {
    const [stat, meminfo, loadavg, netDev] = await Promise.all([this.read('stat'), this.read('meminfo'), this.read('loadavg'), this.read('net/dev')]);
    const cpu = parseCpuTimes(stat);
    const percent = cpu && this.previousCpu ? cpuPercent(this.previousCpu, cpu) : 0;
    if (cpu) this.previousCpu = cpu;
    const memory = parseMeminfo(meminfo);
    const disks: HostMetrics['disks'] = [];
    for (const mount of mounts) {
      const space = await diskSpace(mount);
      if (space) disks.push({ mount, ...space });
    }
    const net = parseNetDev(netDev);
    return {
      collectedAtUnixMs: Date.now(),
      cpuPercent: percent,
      memoryUsedBytes: memory.usedBytes,
      memoryTotalBytes: memory.totalBytes,
      ...parseLoadavg(loadavg),
      disks,
      networkRxBytes: net.rxBytes,
      networkTxBytes: net.txBytes,
    };
  }

  private read(name: string): Promise<string> {
    return readFile(`${this.proc}/${name}`, 'utf8').catch(() => '');
  }
}
