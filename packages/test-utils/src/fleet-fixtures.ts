import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { AgentView, HostView, JobRunHostOutput, JobRunHostView, JobRunView, Page } from '@opsline/contracts';
import type { TestApp } from './test-app.js';
import type { treeFixtures } from './tree-fixtures.js';
import { waitFor } from './wait.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** A fleet: N real agents (the agent library, each its own identity and gRPC stream) in one process, on one leaf. */
export interface Fleet {
  hosts: HostView[];
  nodeId: string;
  stop(): Promise<void>;
}

/** Fleets of real agents (bench/_agent-pool.mjs) and job-run helpers, for the job center's and workflows' tests. */
export function jobFixtures(t: () => TestApp, f: () => ReturnType<typeof treeFixtures>, grpcPort: () => number) {
  const fleets: Fleet[] = [];

  async function fleet(prefix: string, count: number): Promise<Fleet> {
    const [, leaf] = await f().chain(`${prefix}.leaf`, null, { leaf: true });
    const nodeId = leaf?.id ?? '';
    const created = await f().admin().post('/api/v1/agents/enrollment-tokens', { name: prefix, expiresInSec: 3600, maxUses: count, nodeId });
    expect(created.statusCode, created.body).toBe(201);
    const stateRoot = mkdtempSync(join(tmpdir(), `opsline-fleet-${prefix}-`));
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/_agent-pool.mjs', `grpc://127.0.0.1:${grpcPort()}`, stateRoot, '0', String(count)], {
      cwd: REPO,
      env: { ...process.env, OPSLINE_BENCH_ENROLLMENT_TOKEN: created.json<{ token: string }>().token, OPSLINE_BENCH_HOSTNAME_PREFIX: `${prefix}-` },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    let said = '';
    createInterface({ input: child.stdout }).on('line', (line) => (said += `${line}\n`));
    await waitFor(() => said.includes('"ready":true') || (said.includes('"error"') ? Promise.reject(new Error(said)) : false), { timeoutMs: 60_000, what: `${count} agents of ${prefix} connected` });
    const agents = await waitFor(async () => {
      const page = (await f().admin().get(`/api/v1/agents?q=${prefix}-&status=online&limit=500`)).json<Page<AgentView>>();
      return page.items.length === count ? page.items : undefined;
    }, { timeoutMs: 30_000, what: `${count} agents of ${prefix} online` });
    const hosts: HostView[] = [];
    for (const a of agents) hosts.push((await f().admin().get(`/api/v1/hosts/${a.hostId ?? ''}`)).json<HostView>());
    hosts.sort((a, b) => a.hostname.localeCompare(b.hostname));
    const fl: Fleet = {
      hosts,
      nodeId,
      stop: async () => {
        child.stdin.end();
        child.kill('SIGTERM');
        await exited;
        rmSync(stateRoot, { recursive: true, force: true });
      },
    };
    fleets.push(fl);
    return fl;
  }

  const admin = () => f().admin();

  async function start(body: Record<string, unknown>): Promise<JobRunView> {
    const res = await admin().post('/api/v1/job-runs', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<JobRunView>();
  }

  const run = async (id: string): Promise<JobRunView> => (await admin().get(`/api/v1/job-runs/${id}`)).json<JobRunView>();

  const runWhen = (id: string, ok: (r: JobRunView) => boolean, what: string): Promise<JobRunView> =>
    waitFor(async () => {
      const r = await run(id);
      return ok(r) ? r : undefined;
    }, { timeoutMs: 60_000, what: `run ${id}: ${what}` });

  const ended = (id: string) => runWhen(id, (r) => ['success', 'failed', 'partial', 'killed'].includes(r.status), 'to end');

  async function hosts(id: string, query = ''): Promise<JobRunHostView[]> {
    return (await admin().get(`/api/v1/job-runs/${id}/hosts?limit=500${query}`)).json<Page<JobRunHostView>>().items;
  }

  const output = async (id: string, hostId: string): Promise<JobRunHostOutput> => (await admin().get(`/api/v1/job-runs/${id}/hosts/${hostId}`)).json<JobRunHostOutput>();

  const act = (id: string, action: string) => admin().post(`/api/v1/job-runs/${id}/${action}`, {});

  async function stopAll(): Promise<void> {
    for (const fl of fleets.splice(0)) await fl.stop();
    void t;
  }

  return { fleet, start, run, runWhen, ended, hosts, output, act, stopAll };
}
