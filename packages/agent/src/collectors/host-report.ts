import { collectFacts, type HostFacts } from './facts.js';
import { factsHash } from './facts-hash.js';
import { MetricsSampler, type HostMetrics } from './metrics.js';

/**
 * What an agent reports about its host: the current facts with their hash
 * (re-collected on demand, so a change is noticed) and metrics samples.
 */
export class HostReport {
  private current: { facts: HostFacts; hash: string } | undefined;
  private readonly sampler = new MetricsSampler();
  private sampling = false;

  constructor(private readonly hostnameOverride: string | undefined) {}

  /** Collects the facts and takes the CPU baseline; call once before anything else. */
  async init(): Promise<void> {
    await this.refresh();
    await this.sampler.prime();
  }

  get facts(): HostFacts {
    if (!this.current) throw new Error('HostReport.init() was not called');
    return this.current.facts;
  }

  get factsHash(): string {
    return this.current?.hash ?? '';
  }

  /** Collects the facts again; true when their hash changed. */
  async refresh(): Promise<boolean> {
    const facts = await collectFacts({ hostnameOverride: this.hostnameOverride });
    const hash = factsHash(facts);
    const changed = hash !== this.current?.hash;
    this.current = { facts, hash };
    return changed;
  }

  /** A metrics sample of the host and its disks; undefined while the previous one is still being taken (a slow disk must not stack them up). */
  async sampleMetrics(): Promise<HostMetrics | undefined> {
    if (this.sampling) return undefined;
    this.sampling = true;
    try {
      return await this.sampler.sample(this.current?.facts.disks.map((d) => d.mount) ?? []);
    } finally {
      this.sampling = false;
    }
  }
}
