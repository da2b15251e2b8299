import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from '../agent.js';
import { waitFor } from '../executor/test-support.js';
import { createJsonLogger } from '../logger.js';
import { TestAgentServer } from './test-grpc-server.js';

/** Certificates need the openssl CLI (Node cannot issue X.509 certificates itself). */
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const TOKEN = 'tls-token-0123456789';

describe('grpcs:// with a pinned CA (needs the openssl CLI)', () => {
  let dir: string;
  let harness: TestAgentServer;
  const agents: Agent[] = [];

  beforeAll(async () => {
    // npm test installs Debian's openssl; a missing one is a failure to fix, never a silent skip.
    if (!hasOpenssl) throw new Error('the openssl command is missing: install the Debian package openssl (npm test does this as root)');
    dir = await mkdtemp(join(tmpdir(), 'opsline-tls-'));
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=opsline test CA');
    ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=opsline.test');
    await writeFile(join(dir, 'san.ext'), 'subjectAltName=DNS:opsline.test\n');
    ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
    harness = await TestAgentServer.start({ tls: { key: await readFile(join(dir, 'server.key')), cert: await readFile(join(dir, 'server.pem')) } });
    harness.tokens.add(TOKEN);
  });
  afterAll(async () => {
    await Promise.all(agents.map((a) => a.stop({ graceMs: 0 })));
    harness.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(options: { caFile?: string; serverName?: string }) {
    const lines: string[] = [];
    const agent = createAgent({
      server: harness.address(true),
      enrollmentToken: TOKEN,
      stateDir: join(dir, randomUUID()),
      hostname: `tls-${randomUUID().slice(0, 8)}`,
      backoff: { initialMs: 20, maxMs: 100 },
      logger: createJsonLogger({ write: (l) => lines.push(l) }),
      ...options,
    });
    agents.push(agent);
    await agent.start();
    return { agent, lines };
  }

  it('enrolls and connects when the certificate chains to the pinned CA and carries the server name', async () => {
    const { agent } = await start({ caFile: join(dir, 'ca.pem'), serverName: 'opsline.test' });
    await waitFor(() => agent.status().phase === 'connected', 'a TLS session');
    expect(harness.enrollments).toHaveLength(1);
  });

  it('does not talk to a server whose certificate does not match: unknown CA, or another name', async () => {
    const before = harness.enrollments.length;
    const unpinned = await start({ serverName: 'opsline.test' });
    const wrongName = await start({ caFile: join(dir, 'ca.pem'), serverName: 'other.test' });
    for (const { agent, lines } of [unpinned, wrongName]) {
      await waitFor(() => lines.filter((l) => l.includes('cannot enroll yet')).length >= 2, 'refused TLS handshakes');
      expect(agent.status().phase).toBe('enrolling');
    }
    expect(harness.enrollments).toHaveLength(before);
  });
});
