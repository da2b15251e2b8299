import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildTestApp, createTestDatabase, treeFixtures, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import { agentFixtures } from './agents.fixtures.js';

describe('nothing acknowledged is lost: agents and servers restart mid-task', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let grpcPort = 0;
  const apps: TestApp[] = [];
  const agents = agentFixtures(() => t, () => f, () => grpcPort);

  afterAll(async () => {
    await agents.stopAll();
    for (const a of apps.reverse()) await a.close();
  });

  async function start(opts: Parameters<typeof buildTestApp>[1] = {}): Promise<void> {
    t = await buildTestApp({}, opts);
    apps.push(t);
    f = treeFixtures(t);
    grpcPort = await t.app.agents.listen('127.0.0.1', grpcPort);
  }

  it('records a task as lost, once, when its agent is killed mid-task and comes back', { timeout: 90_000 }, async () => {
    await start();
    const { agent, host } = await agents.enrolled('agent-crash');
    const id = await agents.exec({ hostIds: [host.id], script: 'echo before; sleep 300' });
    await waitFor(async () => (await agents.task(id)).stdout.includes('before'), { timeoutMs: 15_000, what: 'task running' });
    agent.child.kill('SIGKILL');
    await agent.exited;
    agents.startAgent(['--hostname', 'agent-crash'], agent.stateDir);
    const lost = await agents.finished(id);
    expect(lost).toMatchObject({ status: 'lost', exitCode: null });
    expect(lost.error).toMatch(/agent restarted/);
    // Its sleep was stopped with it, and the agent is back for new work.
    const next = await agents.finished(await agents.exec({ hostIds: [host.id], script: 'echo after' }));
    expect(next).toMatchObject({ status: 'success', stdout: 'after\n' });
    expect(await agents.task(id)).toMatchObject({ status: 'lost', finishedAt: lost.finishedAt });
  });

  it('delivers a result that finished while the server was down, after the agent reconnects', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsline-agent-restart-'));
    const database = await createTestDatabase();
    grpcPort = 0;
    await start({ persistent: true, dataDir, database, keep: true });
    const { host } = await agents.enrolled('agent-outlives');
    // The task ends only when the test says so, after the server is gone, and leaves a mark when it has.
    const flag = join(dataDir, 'go');
    const id = await agents.exec({ hostIds: [host.id], script: 'echo started; while [ ! -e "$1" ]; do sleep 0.1; done; echo finished; touch "$1.done"', args: [flag] });
    await waitFor(async () => (await agents.task(id)).stdout.includes('started'), { timeoutMs: 15_000, what: 'task running' });
    await t.close();
    apps.pop();
    writeFileSync(flag, '');
    await waitFor(() => existsSync(`${flag}.done`), { timeoutMs: 15_000, what: 'the task to finish while the server is down' });
    // The same database and port: the agent reconnects by itself and re-sends the result it kept on disk.
    await start({ persistent: true, dataDir, database });
    const done = await waitFor(async () => {
      const now = await agents.task(id);
      return now.status === 'success' ? now : undefined;
    }, { timeoutMs: 60_000, what: 'the result to arrive after the restart' });
    expect(done.stdout).toBe('started\nfinished\n');
  });
});
