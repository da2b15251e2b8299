import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { factsHash, canonicalJson } from './facts-hash.js';
import { collectFacts, derivedMachineId, type HostFacts } from './facts.js';
import { MetricsSampler } from './metrics.js';

const FACTS: HostFacts = {
  hostname: 'web-01',
  ips: ['10.0.0.5', 'fd00::5'],
  os: 'Debian GNU/Linux 12 (bookworm)',
  kernel: '6.1.0-18-amd64',
  arch: 'x64',
  cpuModel: 'Intel(R) Xeon(R)',
  cpuCores: 4,
  memoryTotalBytes: 16 * 2 ** 30,
  disks: [{ mount: '/', device: '/dev/sda2', fsType: 'ext4', totalBytes: 100 * 2 ** 30 }],
  machineId: '3d1219c7c4c5404aaa1f6d2a48adfda4',
  serial: 'VMware-56 4d',
};

describe('facts hash', () => {
  it('is a stable sha256 of the canonical JSON (sorted keys), whatever order the fields were built in', () => {
    const reordered = Object.fromEntries(Object.entries(FACTS).reverse()) as unknown as HostFacts;
    expect(factsHash(reordered)).toBe(factsHash(FACTS));
    expect(factsHash(FACTS)).toMatch(/^[0-9a-f]{64}$/);
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 'x' }] })).toBe('{"a":[{"c":"x","d":2}],"b":1}');
  });

  it('changes when a disk changes (seed 3.6: the change triggers an incremental update)', () => {
    const grown = { ...FACTS, disks: [{ ...FACTS.disks[0]!, totalBytes: 200 * 2 ** 30 }] };
    expect(factsHash(grown)).not.toBe(factsHash(FACTS));
    const added = { ...FACTS, disks: [...FACTS.disks, { mount: '/data', device: '/dev/sdb1', fsType: 'xfs', totalBytes: 1 }] };
    expect(factsHash(added)).not.toBe(factsHash(FACTS));
  });
});

describe('collectFacts on this host', () => {
  it('reports the real host', async () => {
    const facts = await collectFacts();
    expect(facts.hostname).toBe(hostname());
    expect(facts.kernel).toMatch(/^\d+\.\d+/);
    expect(facts.cpuCores).toBeGreaterThan(0);
    expect(facts.memoryTotalBytes).toBeGreaterThan(0);
    expect(facts.os).not.toBe('');
    expect(facts.disks.map((d) => d.mount)).toContain('/');
    expect(facts.ips).not.toContain('127.0.0.1');
    expect(facts.ips).not.toContain('::1');
    expect(factsHash(facts)).toBe(factsHash(await collectFacts()));
  });

  it('with a hostname override, reports it and derives a machine id per name, stable, with no serial', async () => {
    const real = await collectFacts();
    const a = await collectFacts({ hostnameOverride: 'bench-0001' });
    const b = await collectFacts({ hostnameOverride: 'bench-0002' });
    expect(a.hostname).toBe('bench-0001');
    expect(a.machineId).toMatch(/^[0-9a-f]{32}$/);
    expect(a.machineId).not.toBe(b.machineId);
    expect(a.machineId).not.toBe(real.machineId);
    expect(a.machineId).toBe(derivedMachineId(real.machineId, 'bench-0001'));
    expect(a.serial).toBe('');
    expect(factsHash(a)).not.toBe(factsHash(b));
  });
});

describe('MetricsSampler on this host', () => {
  it('samples CPU, memory, load, disks and network from /proc', async () => {
    const sampler = new MetricsSampler();
    await sampler.prime();
    const m = await sampler.sample(['/']);
    expect(m.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(m.cpuPercent).toBeLessThanOrEqual(100);
    expect(m.memoryTotalBytes).toBeGreaterThan(0);
    expect(m.memoryUsedBytes).toBeLessThanOrEqual(m.memoryTotalBytes);
    expect(m.disks).toEqual([{ mount: '/', usedBytes: expect.any(Number), totalBytes: expect.any(Number) }]);
    expect(m.load1).toBeGreaterThanOrEqual(0);
    expect(m.collectedAtUnixMs).toBeLessThanOrEqual(Date.now());
  });
});
