import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskResult } from '@opsline/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AssignedTasks, type TaskOutlet } from './assigned-tasks.js';
import { Executor, type OutputChunk } from './executor/index.js';
import { makeStateDir, newTaskId, pidAlive, waitFor } from './executor/test-support.js';
import { silentLogger } from './logger.js';
import { FinishedJournal } from './state/finished-journal.js';
import { readBootId, readProcessStart } from './state/process-start.js';
import { prepareStateDir, statePaths, type StatePaths } from './state/state-dir.js';
import { TaskRecordStore, type TaskRecord } from './state/task-records.js';

/** Records what would go to the server; checks each result is on disk before it is "sent". */
class RecordingOutlet implements TaskOutlet {
  readonly results: TaskResult[] = [];
  readonly outputs: { taskId: string; chunk: OutputChunk }[] = [];
  readonly onDiskWhenSent: boolean[] = [];
  constructor(private readonly tasksDir: string) {}
  sendResult(result: TaskResult): void {
    const file = join(this.tasksDir, `${result.taskId}.json`);
    const record = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as TaskRecord) : undefined;
    this.onDiskWhenSent.push(record?.state === 'finished' && record.result?.status === result.status);
    this.results.push(result);
  }
  sendOutput(taskId: string, chunk: OutputChunk): void {
    this.outputs.push({ taskId, chunk });
  }
  resultsOf(taskId: string): TaskResult[] {
    return this.results.filter((r) => r.taskId === taskId);
  }
}

let dirs: Awaited<ReturnType<typeof makeStateDir>>;
let paths: StatePaths;
let outlet: RecordingOutlet;
let journal: FinishedJournal;
let executor: Executor;
let tasks: AssignedTasks;

async function openTasks(options: { outputSaveIntervalMs?: number } = {}): Promise<AssignedTasks> {
  journal = await FinishedJournal.open(paths.finishedJournal);
  executor = new Executor({ tmpDir: paths.tmp, killGraceMs: 500 });
  outlet = new RecordingOutlet(paths.tasks);
  tasks = new AssignedTasks({
    executor,
    store: new TaskRecordStore(paths.tasks),
    journal,
    outlet,
    logger: silentLogger,
    bootId: await readBootId(),
    killGraceMs: 500,
    ...options,
  });
  return tasks;
}

beforeEach(async () => {
  dirs = await makeStateDir();
  paths = statePaths(dirs.stateDir);
  await prepareStateDir(paths);
  await openTasks();
});
afterEach(async () => {
  await tasks.stop(0);
  await dirs.remove();
});

const recordPath = (taskId: string) => join(paths.tasks, `${taskId}.json`);
const readRecord = async (taskId: string) => JSON.parse(await readFile(recordPath(taskId), 'utf8')) as TaskRecord;

describe('AssignedTasks: results', () => {
  it('writes the result to disk before sending it, re-sends it until acked, then keeps only its id', async () => {
    const taskId = newTaskId();
    expect(await tasks.assign({ taskId, script: 'echo hello', interpreter: 'bash' })).toBe('');
    const [first] = await waitFor(() => outlet.resultsOf(taskId).length === 1 && outlet.resultsOf(taskId), 'the result');
    expect(first).toMatchObject({ taskId, status: 'success', exitCode: 0, stdout: 'hello\n' });
    expect(outlet.onDiskWhenSent).toEqual([true]);
    expect((await readRecord(taskId)).result).toEqual(first);

    // Not acked: sent again (after every reconnect), still on disk.
    expect(tasks.resendPending()).toBe(1);
    expect(outlet.resultsOf(taskId)).toHaveLength(2);
    expect(tasks.pendingResults()).toEqual([first]);

    await tasks.acknowledge(taskId);
    expect(existsSync(recordPath(taskId))).toBe(false);
    expect(journal.get(taskId)).toMatchObject({ taskId, status: 'success', exitCode: 0 });
    expect(tasks.resendPending()).toBe(0);
    expect(tasks.pendingResults()).toEqual([]);
  });

  it('records an accepted task on disk before the assignment is acked', async () => {
    const taskId = newTaskId();
    const gate = join(dirs.stateDir, 'gate');
    const answer = tasks.assign({ taskId, script: `while [ ! -e ${gate} ]; do sleep 0.05; done`, interpreter: 'bash' });
    expect(await answer).toBe('');
    expect((await readRecord(taskId)).state).toMatch(/accepted|running/);
    const running = await waitFor(async () => {
      const r = await readRecord(taskId);
      return r.state === 'running' && r;
    }, 'the pid to be recorded');
    expect(running.pid).toBeGreaterThan(0);
    expect(running.pidStartTicks).toBe(await readProcessStart(running.pid ?? 0));
    expect(tasks.unfinishedIds()).toEqual([taskId]);
    await writeFile(gate, '');
    await waitFor(() => outlet.resultsOf(taskId).length === 1, 'the result');
  });

  it('answers a re-sent assignment from what it knows: running, finished, or acked long ago — the script runs once', async () => {
    const taskId = newTaskId();
    const counter = join(dirs.stateDir, 'runs');
    const gate = join(dirs.stateDir, 'gate');
    const task = { taskId, script: `echo run >> ${counter}\nwhile [ ! -e ${gate} ]; do sleep 0.05; done\necho done`, interpreter: 'bash' };
    expect(await tasks.assign(task)).toBe('');
    await waitFor(() => existsSync(counter), 'the task to run');
    expect(await tasks.assign(task)).toBe('');
    await writeFile(gate, '');
    await waitFor(() => outlet.resultsOf(taskId).length === 1, 'the result');

    // Finished, not yet acked: the stored result is sent again.
    expect(await tasks.assign(task)).toBe('');
    expect(outlet.resultsOf(taskId)).toHaveLength(2);
    expect(outlet.resultsOf(taskId)[1]).toEqual(outlet.resultsOf(taskId)[0]);

    // Acked: answered from the journal (no tails kept there).
    await tasks.acknowledge(taskId);
    expect(await tasks.assign(task)).toBe('');
    expect(outlet.resultsOf(taskId)[2]).toMatchObject({ taskId, status: 'success', exitCode: 0, stdout: '', stdoutBytes: 5 });
    expect(existsSync(recordPath(taskId))).toBe(false);

    // ...also after a restart of the agent.
    await tasks.stop(0);
    await openTasks();
    await tasks.recover();
    expect(await tasks.assign(task)).toBe('');
    expect(outlet.resultsOf(taskId)).toMatchObject([{ status: 'success' }]);
    expect((await readFile(counter, 'utf8')).trim().split('\n')).toEqual(['run']);
  });

  it('answers a bad assignment with a failed result naming the field, never running it', async () => {
    const taskId = newTaskId();
    const error = await tasks.assign({ taskId, script: 'echo hi', interpreter: 'perl', timeoutSec: -1 });
    expect(error).toMatch(/^invalid task: .*interpreter: unknown interpreter/);
    expect(error).toMatch(/timeoutSec: /);
    const [result] = await waitFor(() => outlet.resultsOf(taskId).length === 1 && outlet.resultsOf(taskId), 'the failed result');
    expect(result).toMatchObject({ taskId, status: 'failed', startedAt: null, error });
    expect(outlet.onDiskWhenSent).toEqual([true]);

    // An id that cannot name a file: answered, not recorded.
    const badId = await tasks.assign({ taskId: '../../etc/passwd', script: 'echo hi' });
    expect(badId).toMatch(/^invalid task: taskId: /);
    expect(outlet.resultsOf('../../etc/passwd')).toMatchObject([{ status: 'failed', error: badId }]);
  });

  it('kills a running task on request and answers "unknown task" for one it never had', async () => {
    const taskId = newTaskId();
    expect(await tasks.assign({ taskId, script: 'sleep 30', interpreter: 'bash' })).toBe('');
    await waitFor(() => executor.running().includes(taskId), 'the task to run');
    expect(tasks.kill(taskId)).toBe('');
    const [result] = await waitFor(() => outlet.resultsOf(taskId).length === 1 && outlet.resultsOf(taskId), 'the killed result');
    expect(result?.status).toBe('killed');
    expect(tasks.kill('never-assigned')).toBe('unknown task');
  });

  it('saves the output of a running task now and then, bounded', async () => {
    await tasks.stop(0);
    await openTasks({ outputSaveIntervalMs: 20 });
    const taskId = newTaskId();
    const gate = join(dirs.stateDir, 'gate');
    await tasks.assign({ taskId, script: `echo first; echo oops >&2; head -c 200000 /dev/zero | tr '\\0' x; echo; echo last\nwhile [ ! -e ${gate} ]; do sleep 0.05; done`, interpreter: 'bash' });
    const saved = await waitFor(async () => {
      const r = await readRecord(taskId);
      return r.output && Buffer.from(r.output.stdoutTail, 'base64').toString().endsWith('last\n') && r.output;
    }, 'the output to be saved');
    expect(Buffer.from(saved.stdoutTail, 'base64').length).toBe(64 * 1024);
    expect(saved.stdoutBytes).toBe('first\n'.length + 200000 + 1 + 'last\n'.length);
    expect(Buffer.from(saved.stderrTail, 'base64').toString()).toBe('oops\n');
    await writeFile(gate, '');
    await waitFor(() => outlet.resultsOf(taskId).length === 1, 'the result');
  });
});

describe('AssignedTasks: tasks an earlier agent process left behind', () => {
  const output = (stdout: string, stderr = '') => ({
    stdoutTail: Buffer.from(stdout).toString('base64'),
    stderrTail: Buffer.from(stderr).toString('base64'),
    stdoutBytes: stdout.length,
    stderrBytes: stderr.length,
    savedAt: 1,
  });

  async function deadPid(): Promise<number> {
    const child = spawn('true');
    await new Promise((resolve) => child.once('exit', resolve));
    return child.pid as number;
  }

  it('reports each as lost, with its saved output, persisted before it is sent — never drops one', async () => {
    const store = new TaskRecordStore(paths.tasks);
    const gone = newTaskId();
    const neverStarted = newTaskId();
    const finished = newTaskId();
    const bootId = await readBootId();
    await store.write({ taskId: gone, state: 'running', acceptedAt: 1, pid: await deadPid(), pidStartTicks: 1, bootId, startedAt: 5, output: output('step 1\nstep 2\n', 'warn\n') });
    await store.write({ taskId: neverStarted, state: 'accepted', acceptedAt: 1 });
    const stored: TaskResult = { taskId: finished, status: 'success', exitCode: 0, signal: null, stdout: 'ok\n', stderr: '', stdoutBytes: 3, stderrBytes: 0, startedAt: 1, finishedAt: 2, error: null };
    await store.write({ taskId: finished, state: 'finished', acceptedAt: 1, result: stored });

    await tasks.stop(0);
    await openTasks();
    expect(await tasks.recover()).toEqual({ pending: 3, lost: 2 });
    const byId = new Map(tasks.pendingResults().map((r) => [r.taskId, r]));
    expect(byId.get(gone)).toMatchObject({ status: 'lost', stdout: 'step 1\nstep 2\n', stderr: 'warn\n', stdoutBytes: 14, startedAt: 5, exitCode: null });
    expect(byId.get(gone)?.error).toMatch(/process is gone/);
    expect(byId.get(neverStarted)).toMatchObject({ status: 'lost', startedAt: null });
    expect(byId.get(neverStarted)?.error).toMatch(/did not run/);
    expect(byId.get(finished)).toEqual(stored);
    expect((await readRecord(gone)).result?.status).toBe('lost');

    // Sent once a session is up, until acked.
    expect(tasks.resendPending()).toBe(3);
    expect(outlet.onDiskWhenSent).toEqual([true, true, true]);
    for (const id of [gone, neverStarted, finished]) await tasks.acknowledge(id);
    expect(tasks.pendingResults()).toEqual([]);
  });

  it('stops a task whose processes still run (grandchild included) and reports it lost', async () => {
    const dir = join(dirs.stateDir, 'orphan');
    await mkdir(dir);
    // As the executor starts tasks: its own process group, here with a grandchild.
    const child = spawn('bash', ['-c', `sleep 60 & echo $! > ${dir}/grandchild; wait`], { detached: true, stdio: 'ignore' });
    child.unref();
    const pid = child.pid as number;
    const grandchild = Number((await waitFor(async () => (await readFile(join(dir, 'grandchild'), 'utf8').catch(() => '')).trim(), 'the grandchild')));
    const taskId = newTaskId();
    await new TaskRecordStore(paths.tasks).write({
      taskId,
      state: 'running',
      acceptedAt: 1,
      pid,
      pidStartTicks: await readProcessStart(pid),
      bootId: await readBootId(),
      startedAt: Date.now(),
    });

    await tasks.stop(0);
    await openTasks();
    expect(await tasks.recover()).toEqual({ pending: 1, lost: 1 });
    expect(tasks.pendingResults()[0]).toMatchObject({ taskId, status: 'lost' });
    expect(tasks.pendingResults()[0]?.error).toMatch(/were stopped/);
    expect(pidAlive(pid)).toBe(false);
    expect(pidAlive(grandchild)).toBe(false);
  });

  it('does not touch a process that merely reuses the recorded pid', async () => {
    const other = spawn('sleep', ['30'], { detached: true, stdio: 'ignore' });
    const pid = other.pid as number;
    const taskId = newTaskId();
    const ticks = (await readProcessStart(pid)) ?? 0;
    await new TaskRecordStore(paths.tasks).write({ taskId, state: 'running', acceptedAt: 1, pid, pidStartTicks: ticks + 1, bootId: await readBootId() });
    await tasks.stop(0);
    await openTasks();
    await tasks.recover();
    expect(tasks.pendingResults()[0]?.error).toMatch(/process is gone/);
    expect(pidAlive(pid)).toBe(true);
    other.kill('SIGKILL');
  });
});

describe('AssignedTasks: stop', () => {
  it('lets running tasks finish within the grace period, kills the rest, refuses new ones', async () => {
    const quick = newTaskId();
    const slow = newTaskId();
    const gate = join(dirs.stateDir, 'gate');
    await tasks.assign({ taskId: quick, script: `while [ ! -e ${gate} ]; do sleep 0.05; done; echo finished`, interpreter: 'bash' });
    await tasks.assign({ taskId: slow, script: 'sleep 30', interpreter: 'bash' });
    await waitFor(() => executor.running().length === 2, 'both tasks to run');
    const stopped = tasks.stop(1_000);
    const late = newTaskId();
    expect(await tasks.assign({ taskId: late, script: 'echo late' })).toBe('the agent is shutting down');
    await writeFile(gate, '');
    await stopped;
    expect(outlet.resultsOf(quick)).toMatchObject([{ status: 'success', stdout: 'finished\n' }]);
    expect(outlet.resultsOf(slow)).toMatchObject([{ status: 'killed' }]);
    expect(outlet.resultsOf(late)).toMatchObject([{ status: 'failed', error: 'the agent is shutting down' }]);
    // Everything is on disk for the next start.
    expect((await readRecord(slow)).result?.status).toBe('killed');
  });
});
