import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgent, type Agent } from './agent.js';
import type { AgentOptions } from './config.js';
import { newTaskId, waitFor } from './executor/test-support.js';
import { createJsonLogger } from './logger.js';
import { TestAgentServer } from './transport/test-grpc-server.js';

const TOKEN = 'enroll-token-0123456789';

let harness: TestAgentServer;
let root: string;
const running: Agent[] = [];
/** Every log line of every agent of the test, to check no secret leaks. */
let logLines: string[];

beforeEach(async () => {
  harness = await TestAgentServer.start();
  harness.tokens.add(TOKEN);
  root = await mkdtemp(join(tmpdir(), 'opsline-agent-e2e-'));
  logLines = [];
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((a) => a.stop({ graceMs: 0 })));
  harness.stop();
  await rm(root, { recursive: true, force: true });
});

async function startAgent(overrides: Partial<AgentOptions> = {}): Promise<{ agent: Agent; stateDir: string }> {
  const stateDir = overrides.stateDir ?? join(root, randomUUID());
  const agent = createAgent({
    server: harness.address(),
    enrollmentToken: TOKEN,
    stateDir,
    hostname: `host-${randomUUID().slice(0, 8)}`,
    heartbeatIntervalMs: 100,
    backoff: { initialMs: 20, maxMs: 200 },
    killGraceMs: 500,
    stopGraceMs: 2_000,
    logger: createJsonLogger({ level: 'debug', write: (line) => logLines.push(line) }),
    ...overrides,
  });
  running.push(agent);
  await agent.start();
  return { agent, stateDir };
}

/** The harness-side id of a started agent, once it is connected. */
async function connectedId(agent: Agent, sessions = 1): Promise<string> {
  return waitFor(() => {
    const s = agent.status();
    return s.phase === 'connected' && s.sessions >= sessions && s.agentId && harness.connected(s.agentId) && s.agentId;
  }, `the agent to be connected (session ${sessions})`);
}

const text = (b: Buffer) => b.toString('utf8');

describe('agent ↔ server (a real grpc-js server from agent.proto)', () => {
  it('enrolls once with the token, stores its identity 0600, then reconnects with the identity alone', async () => {
    const { agent, stateDir } = await startAgent();
    const id = await connectedId(agent);
    expect(harness.enrollments).toHaveLength(1);
    const enrollment = harness.enrollments[0];
    expect(enrollment).toMatchObject({ enrollmentToken: TOKEN, hostname: agent.status().hostname, agentVersion: expect.any(String) });
    expect(enrollment?.machineId).toMatch(/^[0-9a-f]{32}$/);
    expect(enrollment?.facts.factsHash).toMatch(/^[0-9a-f]{64}$/);

    const identityFile = join(stateDir, 'identity.json');
    expect((await stat(identityFile)).mode & 0o777).toBe(0o600);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o711);
    const identity = JSON.parse(await readFile(identityFile, 'utf8')) as { agentId: string; agentSecret: string };
    expect(identity.agentId).toBe(id);
    expect(harness.agent(id).hellos[0]).toMatchObject({ agentId: id, agentSecret: identity.agentSecret, maxTasks: 16, runningTaskIds: [] });

    await agent.stop();
    const { agent: again } = await startAgent({ stateDir, enrollmentToken: undefined });
    expect(await connectedId(again)).toBe(id);
    expect(harness.enrollments).toHaveLength(1);
    expect(harness.agent(id).hellos).toHaveLength(2);

    const logs = logLines.join('');
    expect(logs).toContain('"msg":"enrolled"');
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(identity.agentSecret);
  });

  it('retries Enroll with the same enrollment id, across a restart too, and forgets the id once enrolled', async () => {
    harness.unavailableEnrollments = 2;
    const stateDir = join(root, randomUUID());
    const { agent: first } = await startAgent({ stateDir });
    await waitFor(() => harness.enrollments.length >= 1, 'a first Enroll');
    await first.stop();
    const { agent } = await startAgent({ stateDir });
    await connectedId(agent);
    const ids = harness.enrollments.map((e) => e.enrollmentId);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect(ids[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(1);
    expect(existsSync(join(stateDir, 'enrollment-request.json'))).toBe(false);
  });

  it('sends Facts only when the server\'s hash differs: not again after a reconnect with the same hash', async () => {
    const { agent } = await startAgent();
    const id = await connectedId(agent);
    const server = harness.agent(id);
    // Enroll carried the facts, so the first Welcome did not ask for them.
    expect(server.hellos[0]?.factsHash).toBe(harness.enrollments[0]?.facts.factsHash);
    await waitFor(() => server.heartbeats.length > 0, 'a heartbeat');
    expect(server.facts).toHaveLength(0);

    harness.forgetFacts(id);
    harness.cut(id);
    await connectedId(agent, 2);
    await waitFor(() => server.facts.length === 1, 'the facts');
    expect(server.facts[0]).toMatchObject({ hostname: agent.status().hostname, factsHash: server.hellos[1]?.factsHash });
    expect(server.facts[0]?.cpuCores).toBeGreaterThan(0);

    harness.cut(id);
    await connectedId(agent, 3);
    const beats = server.heartbeats.length;
    await waitFor(() => server.heartbeats.length > beats + 1, 'heartbeats on the third session');
    expect(server.facts).toHaveLength(1);
    expect(server.hellos).toHaveLength(3);
  });

  it('sends heartbeats and metrics on their interval', async () => {
    const { agent } = await startAgent();
    const id = await connectedId(agent);
    const server = harness.agent(id);
    await waitFor(() => server.heartbeats.length >= 3 && server.metrics.length >= 2, 'heartbeats and metrics');
    expect(server.heartbeats[0]).toMatchObject({ runningTasks: 0, queuedTasks: 0 });
    expect(Math.abs((server.heartbeats[0]?.sentAtUnixMs ?? 0) - Date.now())).toBeLessThan(60_000);
    const m = server.metrics[1];
    expect(m?.memoryTotalBytes).toBeGreaterThan(0);
    expect(m?.cpuPercent).toBeGreaterThanOrEqual(0);
    expect(m?.disks.map((d) => d.mount)).toContain('/');
  });

  it('runs an assigned task: Ack, output chunks while it runs, then its result, which the server acks', async () => {
    const { agent, stateDir } = await startAgent();
    const id = await connectedId(agent);
    const taskId = newTaskId();
    const messageId = harness.assign(id, { taskId, script: 'for i in 1 2 3; do echo "line $i"; done; echo oops >&2; exit 3', interpreter: 'bash', args: ['a b'] });
    const result = await waitFor(() => harness.results.get(taskId), 'the result');
    expect(harness.agent(id).acks).toContainEqual({ messageId, error: '' });
    expect(result).toMatchObject({ taskId, status: 'TASK_STATUS_FAILED', exitCode: 3, hasExitCode: true, stdoutTotalBytes: 21, stderrTotalBytes: 5 });
    expect(text(result.stdoutTail)).toBe('line 1\nline 2\nline 3\n');
    expect(text(result.stderrTail)).toBe('oops\n');
    expect(result.finishedAtUnixMs).toBeGreaterThanOrEqual(result.startedAtUnixMs);

    const chunks = harness.outputs.get(taskId) ?? [];
    const streamText = (s: string) => chunks.filter((c) => c.stream === s).map((c) => text(c.data)).join('');
    expect(streamText('OUTPUT_STREAM_STDOUT')).toBe('line 1\nline 2\nline 3\n');
    expect(streamText('OUTPUT_STREAM_STDERR')).toBe('oops\n');
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i + 1));

    // Acked: the agent forgets it.
    await waitFor(() => agent.status().pendingResults === 0 && !existsSync(join(stateDir, 'tasks', `${taskId}.json`)), 'the ack to be taken');
  });

  it('answers a bad assignment with a failed result naming the field, and keeps running', async () => {
    const { agent } = await startAgent();
    const id = await connectedId(agent);
    const taskId = newTaskId();
    const messageId = harness.assign(id, { taskId, script: 'echo hi', interpreter: 'perl', env: { '1BAD': 'x' } });
    const result = await waitFor(() => harness.results.get(taskId), 'the failed result');
    expect(result).toMatchObject({ status: 'TASK_STATUS_FAILED', hasExitCode: false, startedAtUnixMs: 0 });
    expect(result.error).toMatch(/interpreter: unknown interpreter/);
    expect(result.error).toMatch(/env\.1BAD: /);
    expect(harness.agent(id).acks.find((a) => a.messageId === messageId)?.error).toBe(result.error);

    const next = newTaskId();
    harness.assign(id, { taskId: next, script: 'echo still here' });
    expect(text((await waitFor(() => harness.results.get(next), 'the next result')).stdoutTail)).toBe('still here\n');
  });

  it('kills a task on request', async () => {
    const { agent } = await startAgent();
    const id = await connectedId(agent);
    const taskId = newTaskId();
    harness.assign(id, { taskId, script: 'echo started; sleep 30', interpreter: 'bash' });
    await waitFor(() => harness.outputs.get(taskId)?.length, 'the task to start');
    const killId = harness.kill(id, taskId);
    expect(await waitFor(() => harness.results.get(taskId), 'the result')).toMatchObject({ status: 'TASK_STATUS_KILLED' });
    expect(harness.agent(id).acks).toContainEqual({ messageId: killId, error: '' });
    const unknown = harness.kill(id, 'no-such-task');
    await waitFor(() => harness.agent(id).acks.find((a) => a.messageId === unknown), 'the kill ack');
    expect(harness.agent(id).acks.find((a) => a.messageId === unknown)?.error).toBe('unknown task');
  });

  it('re-sends a result after the stream is cut before the ack (and after a server restart); the server records it once', async () => {
    const { agent, stateDir } = await startAgent();
    const id = await connectedId(agent);
    harness.autoAck = false;
    const taskId = newTaskId();
    harness.assign(id, { taskId, script: 'echo once', interpreter: 'bash' });
    await waitFor(() => harness.deliveries.get(taskId)?.length === 1, 'the first delivery');
    expect(agent.status().pendingResults).toBe(1);
    const record = JSON.parse(await readFile(join(stateDir, 'tasks', `${taskId}.json`), 'utf8')) as { state: string };
    expect(record.state).toBe('finished');

    harness.cut(id);
    await connectedId(agent, 2);
    await waitFor(() => harness.deliveries.get(taskId)?.length === 2, 'the re-sent result');

    await harness.restart();
    harness.autoAck = true;
    await connectedId(agent, 3);
    await waitFor(() => agent.status().pendingResults === 0 && !existsSync(join(stateDir, 'tasks', `${taskId}.json`)), 'the result to be acked');
    const deliveries = harness.deliveries.get(taskId) ?? [];
    expect(deliveries).toHaveLength(3);
    for (const d of deliveries) expect(d).toEqual(deliveries[0]);
    expect(harness.results.get(taskId)).toEqual(deliveries[0]);
  });

  it('does not run a task twice when the server re-sends its assignment after a reconnect', async () => {
    const { agent, stateDir } = await startAgent();
    const id = await connectedId(agent);
    const counter = join(stateDir, 'runs');
    const taskId = newTaskId();
    const task = { taskId, script: `echo run >> ${counter}; echo done`, interpreter: 'bash' };
    harness.assign(id, task);
    await waitFor(() => agent.status().pendingResults === 0 && harness.results.get(taskId), 'the result, acked');
    harness.cut(id);
    await connectedId(agent, 2);
    const again = harness.assign(id, task);
    await waitFor(() => harness.agent(id).acks.find((a) => a.messageId === again), 'the ack of the re-sent assignment');
    await waitFor(() => (harness.deliveries.get(taskId)?.length ?? 0) >= 2, 'the result answered from the journal');
    expect((await readFile(counter, 'utf8')).trim().split('\n')).toEqual(['run']);
  });

  it('stops for good when revoked, and a restarted agent with that identity stops too', async () => {
    const { agent, stateDir } = await startAgent();
    const id = await connectedId(agent);
    harness.revoke(id, 'host decommissioned');
    expect(await agent.done).toMatchObject({ reason: 'revoked', message: expect.stringMatching(/host decommissioned/) });
    expect(agent.status().phase).toBe('stopped');
    expect(harness.agent(id).hellos).toHaveLength(1);

    const { agent: again } = await startAgent({ stateDir, enrollmentToken: undefined });
    expect(await again.done).toMatchObject({ reason: 'revoked' });
    expect(harness.agent(id).hellos).toHaveLength(2);
    expect(harness.enrollments).toHaveLength(1);
  });

  it('stops when the server no longer knows its identity (UNAUTHENTICATED), saying how to re-enroll', async () => {
    const { agent } = await startAgent();
    const id = await connectedId(agent);
    harness.agents.delete(id);
    harness.cut(id);
    expect(await agent.done).toEqual({ reason: 'identity-refused', message: expect.stringMatching(/refused this agent's identity .*enroll again/) });
  });

  it('stops with a clear reason when the enrollment token is refused', async () => {
    const { agent, stateDir } = await startAgent({ enrollmentToken: 'wrong-token' });
    expect(await agent.done).toEqual({ reason: 'enroll-refused', message: expect.stringMatching(/enrollment refused by the server: unknown or expired/) });
    expect(existsSync(join(stateDir, 'identity.json'))).toBe(false);
    expect(logLines.join('')).not.toContain('wrong-token');
  });

  it('keeps retrying while the server is down, then enrolls once it is up', async () => {
    harness.stop();
    const { agent } = await startAgent();
    await waitFor(() => logLines.filter((l) => l.includes('cannot enroll yet')).length >= 2, 'failed attempts');
    expect(agent.status().phase).toBe('enrolling');
    await harness.restart();
    await connectedId(agent);
    expect(harness.enrollments).toHaveLength(1);
  });

  it('runs many agents in one process, each with its own identity and machine id', async () => {
    const agents = await Promise.all(Array.from({ length: 10 }, () => startAgent({ heartbeatIntervalMs: 1_000 })));
    const ids = await Promise.all(agents.map(({ agent }) => connectedId(agent)));
    expect(new Set(ids).size).toBe(10);
    expect(new Set(harness.enrollments.map((e) => e.machineId)).size).toBe(10);
    const tasks = ids.map((id) => {
      const taskId = newTaskId();
      harness.assign(id, { taskId, script: 'echo "$OPSLINE_TASK_ID"' });
      return taskId;
    });
    for (const taskId of tasks) expect(text((await waitFor(() => harness.results.get(taskId), 'each result')).stdoutTail)).toBe(`${taskId}\n`);
  });
});
