import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import { agentFixtures } from './agents.fixtures.js';
// @ts-expect-error -- the build script is plain JS without types
import { buildServer } from '../../../../../scripts/build.mjs';

describe('the one-line installer (install.sh, the bundled agent, checksums)', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort = 0;
  let base = '';
  const dir = mkdtempSync(join(tmpdir(), 'opsline-install-'));
  const agents = agentFixtures(() => t, () => f, () => grpcPort);

  beforeAll(async () => {
    // The installer serves the bundle `npm run build` makes; build it as start-up would.
    expect(await (buildServer as () => Promise<boolean>)()).toBe(true);
    t = await buildTestApp();
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', 0);
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  }, 120_000);
  afterAll(async () => {
    await agents.stopAll();
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const fetchScript = async (): Promise<string> => {
    const res = await fetch(`${base}/api/v1/agents/install.sh`);
    expect(res.status).toBe(200);
    return res.text();
  };
  /** Runs the installer; asynchronously, since it downloads from the server in this very process. */
  const sh = (script: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> => {
    const file = join(dir, `install-${Math.random().toString(36).slice(2)}.sh`);
    writeFileSync(file, script);
    const child = spawn('/bin/sh', [file, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
  };

  it('downloads and verifies the agent, installs it, and the installed agent enrols', { timeout: 60_000 }, async () => {
    const [, leaf] = await f.chain('inst.leaf', null, { leaf: true });
    const token = await agents.token(leaf?.id ?? '');
    const prefix = join(dir, 'opt');
    const state = join(dir, 'state');
    const run = await sh(await fetchScript(), ['--token', token, '--prefix', prefix, '--state-dir', state, '--no-service']);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`node ${prefix}/opsline-agent.mjs --server grpc://127.0.0.1:${grpcPort}`);
    expect(statSync(join(prefix, 'enroll.env')).mode & 0o777).toBe(0o600);
    expect(statSync(state).mode & 0o777).toBe(0o711);

    const agent = spawn(process.execPath, [join(prefix, 'opsline-agent.mjs'), '--server', `grpc://127.0.0.1:${grpcPort}`, '--token', token, '--state-dir', state, '--hostname', 'installed-01'], { stdio: 'ignore' });
    try {
      const online = await agents.online('installed-01');
      expect(online.version).not.toMatch(/dev/);
    } finally {
      agent.kill('SIGKILL');
    }
  });

  it('refuses a download whose checksum does not match, and says when Node.js is missing', async () => {
    const script = await fetchScript();
    const tampered = await sh(script.replace(/^AGENT_SHA256='[0-9a-f]+'$/m, `AGENT_SHA256='${'0'.repeat(64)}'`), ['--token', 'x', '--prefix', join(dir, 'bad'), '--no-service']);
    expect(tampered.status).not.toBe(0);
    expect(tampered.stderr).toContain('opsline-agent.mjs: checksum mismatch');
    expect(existsSync(join(dir, 'bad', 'opsline-agent.mjs'))).toBe(false);

    // A PATH with the tools the script needs but no node.
    const bin = join(dir, 'bin-without-node');
    mkdirSync(bin);
    for (const tool of ['curl', 'sha256sum', 'mktemp', 'rm', 'sed']) symlinkSync(spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim(), join(bin, tool));
    const noNode = await sh(script, ['--token', 'x', '--no-service'], { PATH: bin });
    expect(noNode.status).not.toBe(0);
    expect(noNode.stderr).toContain('Node.js 20 or newer is needed');

    const noToken = await sh(script, []);
    expect(noToken.stderr).toContain('--token is required');
  });
});
