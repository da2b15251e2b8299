import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { AgentView, ExecTaskView, HostView } from '@opsline/contracts';
import type { TestApp, treeFixtures } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';

const REPO = fileURLToPath(new URL('../../../../../', import.meta.url));
const AGENT_MAIN = join(REPO, 'packages/agent/src/main.ts');

/** A real agent process (the CLI, from source through tsx), with its own state dir. */
export interface AgentProcess {
  child: ChildProcess;
  stateDir: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** Test helpers around real agent processes talking to a test app's gRPC port. */
export function agentFixtures(t: () => TestApp, f: () => ReturnType<typeof treeFixtures>, grpcPort: () => number) {
  const running: AgentProcess[] = [];

  function startAgent(args: string[], stateDir = mkdtempSync(join(tmpdir(), 'opsline-agent-test-'))): AgentProcess {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', AGENT_MAIN, '--server', `grpc://127.0.0.1:${grpcPort()}`, '--state-dir', stateDir, '--log-level', 'debug', ...args],
      { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const a = { child, stateDir, output: () => out, exited };
    running.push(a);
    return a;
  }

  async function token(nodeId: string, maxUses = 5): Promise<string> {
    const res = await f().admin().post('/api/v1/agents/enrollment-tokens', { name: 'test', expiresInSec: 3600, maxUses, nodeId });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ token: string }>().token;
  }

  const agentNamed = async (hostname: string): Promise<AgentView | undefined> =>
    (await f().admin().get(`/api/v1/agents?q=${hostname}`)).json<{ items: AgentView[] }>().items.find((a) => a.hostname === hostname);

  const online = (hostname: string, what = ''): Promise<AgentView> =>
    waitFor(async () => {
      const a = await agentNamed(hostname);
      return a?.status === 'online' ? a : undefined;
    }, { timeoutMs: 30_000, what: `agent ${hostname} online ${what}` });

  /** One enrolled agent process on its own leaf, online, and its host. */
  async function enrolled(hostname: string, extra: string[] = []): Promise<{ agent: AgentProcess; host: HostView; view: AgentView }> {
    const [, leaf] = await f().chain(`${hostname}-tree.leaf`, null, { leaf: true });
    const agent = startAgent(['--token', await token(leaf?.id ?? ''), '--hostname', hostname, ...extra]);
    const view = await online(hostname, agent.output());
    return { agent, view, host: (await f().admin().get(`/api/v1/hosts/${view.hostId}`)).json<HostView>() };
  }

  async function exec(body: Record<string, unknown>): Promise<string> {
    const res = await f().admin().post('/api/v1/exec', body);
    expect(res.statusCode, res.body).toBe(202);
    return res.json<{ taskIds: string[] }>().taskIds[0] ?? '';
  }

  const task = async (id: string): Promise<ExecTaskView> => (await f().admin().get(`/api/v1/exec/tasks/${id}`)).json<ExecTaskView>();

  const finished = (id: string): Promise<ExecTaskView> =>
    waitFor(async () => {
      const now = await task(id);
      return ['queued', 'running'].includes(now.status) ? undefined : now;
    }, { timeoutMs: 30_000, what: `task ${id} to finish` });

  async function stopAll(): Promise<void> {
    for (const a of running) a.child.kill('SIGKILL');
    await Promise.all(running.map((a) => a.exited));
    for (const a of running) rmSync(a.stateDir, { recursive: true, force: true });
  }

  return { startAgent, token, agentNamed, online, enrolled, exec, task, finished, stopAll };
}
