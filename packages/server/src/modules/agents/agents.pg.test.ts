import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecTaskView } from '@opsline/contracts';
import { buildTestApp, createTestDatabase, treeFixtures, waitFor, type TestApp } from '@opsline/test-utils';
import { agentFixtures } from './agents.fixtures.js';

/**
 * Two servers on one PostgreSQL: the agent holds its stream to server B, the
 * user works on server A. Runs, kills, results and online status still reach
 * both ways (fan-out events and the database).
 */
describe('remote execution with several servers', () => {
  let a: TestApp;
  let b: TestApp;
  let fa: ReturnType<typeof treeFixtures>;
  let grpcPortB = 0;
  const agents = agentFixtures(() => a, () => fa, () => grpcPortB);

  beforeAll(async () => {
    const database = await createTestDatabase();
    a = await buildTestApp({}, { persistent: true, database, dataDir: mkdtempSync(join(tmpdir(), 'opsline-exec-a-')), keep: true });
    b = await buildTestApp({}, { persistent: true, database, dataDir: mkdtempSync(join(tmpdir(), 'opsline-exec-b-')) });
    fa = treeFixtures(a);
    grpcPortB = await b.app.agents.listen('127.0.0.1', 0);
  });
  afterAll(async () => {
    await agents.stopAll();
    await a.close();
    await b.close();
  });

  it('runs and kills from server A a task on an agent connected to server B, and A sees the agent online', async () => {
    const { host, view, agent } = await agents.enrolled('pg-two-servers');
    expect(view.status).toBe('online');
    expect(a.app.agents.connectedCount()).toBe(0);
    expect(b.app.agents.connectedCount()).toBe(1);

    expect(await agents.finished(await agents.exec({ hostIds: [host.id], script: 'echo from B' }))).toMatchObject({ status: 'success', stdout: 'from B\n' });

    // The job center's way in: server A waits on a result server B records.
    const me = (await a.call({ method: 'GET', url: '/api/v1/auth/me', token: a.adminToken })).json<{ user: { id: string } }>();
    await expect(a.app.agents.run(host.id, { script: 'echo waited' }, me.user.id)).resolves.toMatchObject({
      status: 'success', stdout: 'waited\n',
    });

    const id = await agents.exec({ hostIds: [host.id], script: 'sleep 300' });
    await waitFor(async () => (await agents.task(id)).status === 'running', { timeoutMs: 15_000, what: 'the task running on B' });
    const kill = await fa.admin().post(`/api/v1/exec/tasks/${id}/kill`, {});
    expect(kill.statusCode, kill.body).toBe(200);
    expect(await agents.finished(id)).toMatchObject<Partial<ExecTaskView>>({ status: 'killed' });

    agent.child.kill('SIGTERM');
    await agent.exited;
    await waitFor(async () => (await agents.agentNamed('pg-two-servers'))?.status === 'offline', { timeoutMs: 15_000, what: 'the agent offline as seen from A' });
  });
});
