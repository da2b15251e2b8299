import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import { agentFixtures } from './agents.fixtures.js';

/** A throwaway CA and a server certificate for `opsline.test`, made with Debian's openssl (npm test installs it). */
function issueCertificates(dir: string): void {
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  ssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1', '-subj', '/CN=opsline test CA');
  ssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=opsline.test');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:opsline.test\n');
  ssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '1', '-extfile', 'san.ext');
}

describe('agents over TLS (OPSLINE_GRPC_TLS_CERT/KEY, the agent pinning the CA)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'opsline-grpc-tls-'));
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let port = 0;
  const agents = agentFixtures(() => t, () => f, () => port);

  beforeAll(async () => {
    issueCertificates(dir);
    t = await buildTestApp({ OPSLINE_GRPC_TLS_CERT: join(dir, 'server.pem'), OPSLINE_GRPC_TLS_KEY: join(dir, 'server.key') });
    f = treeFixtures(t);
    port = await t.app.agents.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    await agents.stopAll();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enrols and runs a script over grpcs://, and a plaintext agent gets nowhere', async () => {
    const [, leaf] = await f.chain('tls.leaf', null, { leaf: true });
    const token = await agents.token(leaf?.id ?? '');
    const plain = agents.startAgent(['--token', token, '--hostname', 'tls-plain']);
    // The fixture dials grpc://; this agent says grpcs:// (the last --server wins).
    const tls = agents.startAgent(['--server', `grpcs://127.0.0.1:${port}`, '--token', token, '--hostname', 'tls-agent', '--ca-file', join(dir, 'ca.pem'), '--server-name', 'opsline.test']);
    const online = await agents.online('tls-agent', tls.output());
    const done = await agents.finished(await agents.exec({ hostIds: [online.hostId], script: 'echo over tls' }));
    expect(done).toMatchObject({ status: 'success', stdout: 'over tls\n' });
    await waitFor(() => plain.output().includes('cannot enroll yet'), { timeoutMs: 15_000, what: 'the plaintext agent to be turned away' });
    expect(await agents.agentNamed('tls-plain')).toBeUndefined();
    plain.child.kill('SIGKILL');
  });
});
