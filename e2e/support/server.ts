import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { stopProcess } from './process';
import { waitFor } from '@opsline/test-utils/wait';

export interface RunningServer {
  baseUrl: string;
  /** Where agents connect: grpc://127.0.0.1:<grpcPort>. */
  grpcPort: number;
  adminPassword: string;
  /** What the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A port that was free a moment ago (the server cannot take port 0 and report it back). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function serverCommand(): { cmd: string; args: string[] } {
  if (existsSync(join(repoRoot, 'packages/server/dist/main.js'))) {
    return { cmd: process.execPath, args: [join(repoRoot, 'packages/server/bin/opsline.mjs'), 'serve'] };
  }
  return { cmd: process.execPath, args: [join(repoRoot, 'node_modules/tsx/dist/cli.mjs'), join(repoRoot, 'packages/server/src/main.ts'), 'serve'] };
}

/** Starts the real server on a free port with a fresh data dir; resolves once /api/v1/health answers. */
export async function startServer(opts: { timeoutMs?: number } = {}): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opsline-e2e-'));
  const port = await freePort();
  const grpcPort = await freePort();
  const adminPassword = 'e2e-admin-pass-1';
  const { cmd, args } = serverCommand();
  const child = spawn(cmd, args, {
    cwd: repoRoot,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      OPSLINE_HOST: '127.0.0.1',
      OPSLINE_PORT: String(port),
      OPSLINE_GRPC_PORT: String(grpcPort),
      OPSLINE_DATA_DIR: dataDir,
      OPSLINE_ADMIN_PASSWORD: adminPassword,
      OPSLINE_LOG_LEVEL: 'warn',
      // Few enough that the lockout test is quick, more than the tests' deliberate mistakes.
      OPSLINE_LOGIN_MAX_FAILURES: '3',
    },
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));

  const baseUrl = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopProcess(child, 10_000);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => {
        // A server that died will not come up: stop waiting at once.
        if (child.exitCode !== null) return `exited with ${child.exitCode}`;
        const res = await fetch(`${baseUrl}/api/v1/health`);
        return res.ok ? 'up' : undefined;
      },
      { what: 'the server to answer /api/v1/health', timeoutMs: opts.timeoutMs ?? 90_000, retryErrors: true },
    ).then((state) => {
      if (state !== 'up') throw new Error(`the server ${state}`);
    });
  } catch (err) {
    await stop();
    throw new Error(`${err instanceof Error ? err.message : String(err)}\n--- server output ---\n${output}`);
  }
  return { baseUrl, grpcPort, adminPassword, output: () => output, stop };
}
