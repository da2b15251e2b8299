import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';

/**
 * Outbound HTTP for notifications, guarded: cloud metadata addresses are never
 * reached, whatever the policy says; the admins' deny list wins over their
 * allow list; a non-empty allow list admits only its hosts. The check runs on
 * the name in the URL and again on every address DNS answers, inside the
 * connection's own lookup, so a name that later resolves elsewhere is caught.
 */
export interface OutboundRules {
  allow: readonly string[];
  deny: readonly string[];
}

/** Cloud instance metadata services (AWS/GCP/Azure/OpenStack, Alibaba, Oracle, AWS IPv6). */
const METADATA = new BlockList();
METADATA.addSubnet('169.254.0.0', 16, 'ipv4');
METADATA.addAddress('100.100.100.200', 'ipv4');
METADATA.addAddress('192.0.0.192', 'ipv4');
METADATA.addAddress('fd00:ec2::254', 'ipv6');
METADATA.addSubnet('fe80::', 10, 'ipv6');
const METADATA_NAMES = new Set(['metadata.google.internal', 'metadata', 'metadata.tencentyun.com', 'instance-data', 'instance-data.ec2.internal']);

export class OutboundRefused extends Error {}

const family = (ip: string): 'ipv4' | 'ipv6' => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');
/** An IPv4-mapped IPv6 address (`::ffff:169.254.169.254`) is judged as its IPv4 self. */
const unmapped = (ip: string): string => ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

/** An entry matches a host name (`example.com`, `*.example.com`) or an address (`10.0.0.5`, `10.0.0.0/8`). */
function matches(entry: string, host: string): boolean {
  const e = entry.toLowerCase();
  if (e.includes('/')) {
    const [base = '', bits = ''] = e.split('/');
    if (!isIP(host) || !isIP(base)) return false;
    const list = new BlockList();
    try {
      list.addSubnet(base, Number(bits), family(base));
    } catch {
      return false;
    }
    return list.check(host, family(host));
  }
  if (e.startsWith('*.')) return host.endsWith(e.slice(1)) || host === e.slice(2);
  return host === e;
}

/** Why a host (a name from a URL, or an address it resolved to) may not be reached; null when it may. */
export function refusal(hostIn: string, rules: OutboundRules): string | null {
  const host = unmapped(hostIn.toLowerCase().replace(/^\[|\]$/g, ''));
  if (METADATA_NAMES.has(host) || (isIP(host) && METADATA.check(host, family(host)))) return `${hostIn} is a cloud metadata address, never a notification target`;
  if (rules.deny.some((d) => matches(d, host))) return `${hostIn} is on the outbound deny list`;
  if (rules.allow.length && !rules.allow.some((a) => matches(a, host))) return `${hostIn} is not on the outbound allow list`;
  return null;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

const TIMEOUT_MS = 10_000;
const MAX_ANSWER = 64 * 1024;

/** Sends one request (no redirects followed) and answers its status and the start of its body. */
export function send(method: 'POST' | 'PUT', url: string, headers: Record<string, string>, body: string, rules: OutboundRules): Promise<HttpAnswer> {
  const u = new URL(url);
  const named = refusal(u.hostname, rules);
  if (named) return Promise.reject(new OutboundRefused(named));
  const guardedLookup = (hostname: string, opts: object, cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void): void => {
    dnsLookup(hostname, { ...opts, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return cb(err, []);
      const bad = addresses.map((a) => refusal(a.address, rules)).find((r) => r !== null);
      if (bad) return cb(new OutboundRefused(`${hostname} resolves to an address never reached: ${bad}`), []);
      const all = (opts as { all?: boolean }).all === true;
      const first = addresses[0];
      if (all) return cb(null, addresses);
      return cb(null, first?.address ?? '', first?.family);
    });
  };
  const requester = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = requester(u, {
      method, timeout: TIMEOUT_MS, lookup: guardedLookup,
      headers: { 'user-agent': 'opsline-notify', ...headers, 'content-length': Buffer.byteLength(body) },
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER) chunks.push(c);
        size += c.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8').slice(0, MAX_ANSWER) }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer from ${u.host} within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', reject);
    req.end(body);
  });
}
