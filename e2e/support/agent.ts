import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './paths';
import { stopProcess } from './process';

export interface RunningAgent {
  /** What the agent logged, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * A real agent process (packages/agent from source) enrolling with `token`
 * at the server's gRPC port, with its own state dir and a made-up hostname.
 */
export function startAgent(opts: { grpcPort: number; token: string; hostname: string }): RunningAgent {
  const stateDir = mkdtempSync(join(tmpdir(), 'opsline-e2e-agent-'));
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(repoRoot, 'packages/agent/src/main.ts'),
      '--server',
      `grpc://127.0.0.1:${opts.grpcPort}`,
      '--token',
      opts.token,
      '--state-dir',
      stateDir,
      '--hostname',
      opts.hostname,
      '--log-level',
      'warn',
    ],
    { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return {
    output: () => output,
    stop: async () => {
      await stopProcess(child, 10_000);
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
