import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { cpuPercent, parseCpuTimes, parseLoadavg, parseMeminfo, parseNetDev, parseOsRelease } from './proc-text.js';

/** Fixtures copied from real hosts (Debian 12, Ubuntu 22.04, CentOS 7). */
const DEBIAN_OS_RELEASE = `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
`;

const PROC_STAT_1 = `cpu  10132153 290696 3084719 46828483 16683 0 25195 0 175628 0
cpu0 1393280 32966 572056 13366987 6127 0 17917 0 0 0
intr 1462898 0 0
ctxt 6055347
btime 1700000000
`;
// 4 s later on 4 cores: 400 ticks per core; 1200 busy, 400 idle, 0 iowait.
const PROC_STAT_2 = `cpu  10133053 290696 3084919 46828783 16783 0 25295 0 175728 0
cpu0 1393580 32966 572106 13367087 6127 0 17927 0 0 0
`;

const MEMINFO = `MemTotal:       16318508 kB
MemFree:         1071612 kB
MemAvailable:   10220872 kB
Buffers:          642236 kB
Cached:          8277772 kB
SwapCached:            0 kB
Active(anon):    4152592 kB
HugePages_Total:       0
`;

/** CentOS 6-era kernels (before 3.14) have no MemAvailable. */
const MEMINFO_OLD = `MemTotal:        1000 kB
MemFree:          100 kB
Buffers:          100 kB
Cached:           300 kB
`;

const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 5362196212 3862597    0    0    0     0          0         0 5362196212 3862597    0    0    0     0       0          0
  eth0: 1000 10    0    0    0     0          0         0 2000 20    0    0    0     0       0          0
docker0:500 5 0 0 0 0 0 0 700 7 0 0 0 0 0 0
`;

describe('parseOsRelease', () => {
  it('takes PRETTY_NAME', () => {
    expect(parseOsRelease(DEBIAN_OS_RELEASE)).toBe('Debian GNU/Linux 12 (bookworm)');
  });

  it('falls back to NAME VERSION, unquoting single quotes and escapes, then to "Linux"', () => {
    expect(parseOsRelease("NAME='CentOS Linux'\nVERSION=\"7 (Core) \\\"x\\\"\"\n")).toBe('CentOS Linux 7 (Core) "x"');
    expect(parseOsRelease('NAME=Alpine\n')).toBe('Alpine');
    expect(parseOsRelease('')).toBe('Linux');
  });
});

describe('CPU from /proc/stat', () => {
  it('counts busy as total minus idle and iowait, leaving guest time out (it is inside user)', () => {
    expect(parseCpuTimes(PROC_STAT_1)).toEqual({ busy: 10132153 + 290696 + 3084719 + 25195, total: 10132153 + 290696 + 3084719 + 46828483 + 16683 + 25195 });
  });

  it('gives the busy share between two samples', () => {
    const before = parseCpuTimes(PROC_STAT_1);
    const after = parseCpuTimes(PROC_STAT_2);
    expect(before && after && cpuPercent(before, after)).toBe(75);
  });

  it('is 0 when no time passed, and undefined for text without a cpu line', () => {
    const t = parseCpuTimes(PROC_STAT_1);
    expect(t && cpuPercent(t, t)).toBe(0);
    expect(parseCpuTimes('intr 1\n')).toBeUndefined();
  });
});

describe('parseMeminfo', () => {
  it('counts used as total minus MemAvailable, in bytes', () => {
    expect(parseMeminfo(MEMINFO)).toEqual({ totalBytes: 16318508 * 1024, usedBytes: (16318508 - 10220872) * 1024 });
  });

  it('without MemAvailable, counts free + buffers + cached as available', () => {
    expect(parseMeminfo(MEMINFO_OLD)).toEqual({ totalBytes: 1000 * 1024, usedBytes: 500 * 1024 });
  });
});

describe('parseLoadavg and parseNetDev', () => {
  it('reads the three load averages', () => {
    expect(parseLoadavg('0.52 0.58 1.59 1/467 12345\n')).toEqual({ load1: 0.52, load5: 0.58, load15: 1.59 });
  });

  it('sums rx/tx bytes over every interface but loopback, also when the name touches the numbers', () => {
    expect(parseNetDev(NET_DEV)).toEqual({ rxBytes: 1500, txBytes: 2700 });
  });
});

describe('on this host\'s /proc', () => {
  it('parses the real files into sane figures', async () => {
    const [stat, meminfo, loadavg, netDev] = await Promise.all(['stat', 'meminfo', 'loadavg', 'net/dev'].map((f) => readFile(`/proc/${f}`, 'utf8')));
    const cpu = parseCpuTimes(stat ?? '');
    expect(cpu?.total).toBeGreaterThan(0);
    expect(cpu?.busy).toBeGreaterThanOrEqual(0);
    const mem = parseMeminfo(meminfo ?? '');
    expect(mem.totalBytes).toBeGreaterThan(64 * 1024 * 1024);
    expect(mem.usedBytes).toBeGreaterThan(0);
    expect(mem.usedBytes).toBeLessThanOrEqual(mem.totalBytes);
    expect(parseLoadavg(loadavg ?? '').load1).toBeGreaterThanOrEqual(0);
    const net = parseNetDev(netDev ?? '');
    expect(net.rxBytes).toBeGreaterThanOrEqual(0);
  });
});
