import { constants } from 'node:os';
import type { Invocation, OutputLimits, OutputSink } from '@opsline/agent';
import type { TaskAssignment, TaskResult, TaskStatus } from '@opsline/contracts';
import type { ExitStatus, SshConnection } from './ssh-connection.js';
import { DEFAULT_OUTPUT_LIMITS, TaskOutput } from '@opsline/agent';
import { shCommand, shellWords, sudoWords } from './ssh-quote.js';
import { describeSudoFailure, firstLine, notStarted } from './ssh-result.js';
import { PGID_MARK, SETUP_FAILURES, SETUP_MARK, TERMINATE_SCRIPT, type SetupFailure } from './ssh-scripts.js';

/** Startup-file chatter kept while looking for the runner's first line; more is dropped. */
const PRE_HEADER_BYTES = 64 * 1024;
/** A channel that closes without an exit status: how long to wait to learn whether the connection went too. */
const LOST_CHECK_MS = 1_000;

const SIGNAL_NAMES = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name]));

export interface StagedTask {
  task: TaskAssignment;
  invocation: Invocation;
  /** The dir on the host holding `run` and `script`. */
  dir: string;
  /** The user to run as through sudo, or undefined for the SSH user. */
  sudoUser: string | undefined;
}

export interface RunnerControl {
  onOutput?: OutputSink;
  signal?: AbortSignal;
  killGraceMs: number;
  pipeDrainMs: number;
  output?: Partial<OutputLimits>;
}

type Header = { pgid: number; rest: Buffer } | { setup: SetupFailure };

/** Reads stdout up to the runner's first line of its own (see ssh-scripts.ts). */
class HeaderReader {
  private buffered = Buffer.alloc(0);

  push(data: Buffer): Header | undefined {
    this.buffered = Buffer.concat([this.buffered, data]);
    for (let nl = this.buffered.indexOf(10); nl !== -1; nl = this.buffered.indexOf(10)) {
      const line = this.buffered.subarray(0, nl).toString('utf8').trim();
      const rest = this.buffered.subarray(nl + 1);
      this.buffered = rest;
      if (line.startsWith(PGID_MARK)) {
        const pgid = Number(line.slice(PGID_MARK.length));
        if (Number.isInteger(pgid) && pgid > 1) return { pgid, rest };
      }
      const what = line.startsWith(SETUP_MARK) ? line.slice(SETUP_MARK.length) : '';
      if ((SETUP_FAILURES as readonly string[]).includes(what)) return { setup: what as SetupFailure };
    }
    if (this.buffered.length > PRE_HEADER_BYTES) this.buffered = this.buffered.subarray(-PRE_HEADER_BYTES);
    return undefined;
  }
}

/**
 * Runs the staged runner and waits for the task's end: its exit, a timeout or
 * kill (the group is terminated from a second channel, see TERMINATE_SCRIPT),
 * or the connection dropping (`lost`, with the output so far). Rejects only
 * when the channel cannot be opened.
 */
export async function runRunner(conn: SshConnection, staged: StagedTask, control: RunnerControl): Promise<TaskResult> {
  const { task, sudoUser } = staged;
  // The agent's own output collector: the same chunks, tails and gaps over SSH as from an agent.
  const output = new TaskOutput(control.onOutput, { ...DEFAULT_OUTPUT_LIMITS, ...control.output });
  const handle = await conn.exec(shellWords([...sudoWords(sudoUser), 'sh', `${staged.dir}/run`]));
  const { channel } = handle;
  // The task's stdin is /dev/null; the channel's is closed so nothing waits on it.
  channel.end();

  const header = new HeaderReader();
  let pgid: number | undefined;
  let setup: SetupFailure | undefined;
  let startedAt: number | null = null;
  let endedBy: 'timeout' | 'killed' | undefined;
  let exit: ExitStatus | undefined;
  let terminator: Promise<unknown> | undefined;

  const steps = Math.max(1, Math.ceil(control.killGraceMs / 100));
  const startTerminator = (group: number) => {
    terminator ??= conn.run(shCommand(TERMINATE_SCRIPT, [String(group), String(steps)], sudoUser)).catch(() => undefined);
  };
  const terminate = (reason: 'timeout' | 'killed') => {
    if (endedBy || exit) return;
    endedBy = reason;
    // Before the runner said which group, it is asked for as soon as it does.
    if (pgid !== undefined) startTerminator(pgid);
  };

  channel.on('data', (data: Buffer) => {
    if (pgid !== undefined) return output.write('stdout', data);
    if (setup !== undefined) return;
    const h = header.push(data);
    if (!h) return;
    if ('setup' in h) {
      setup = h.setup;
      return;
    }
    pgid = h.pgid;
    startedAt = Date.now();
    output.write('stdout', h.rest);
    if (endedBy) startTerminator(pgid);
  });
  // stderr carries no header; what the runner or sudo print before the task starts is the setup error.
  channel.stderr.on('data', (data: Buffer) => output.write('stderr', data));

  const timer = setTimeout(() => terminate('timeout'), task.timeoutSec * 1000);
  const onAbort = () => terminate('killed');
  control.signal?.addEventListener('abort', onAbort, { once: true });
  if (control.signal?.aborted) onAbort();

  let drainTimer: NodeJS.Timeout | undefined;
  let closed = false;
  const finished = new Promise<void>((resolve) => {
    void handle.closed.then(() => {
      closed = true;
      resolve();
    });
    void handle.exited.then((status) => {
      exit = status;
      // A process the task left running (`cmd &`) may hold the output open as
      // long as it lives: read on for pipeDrainMs, then stop (it is not
      // killed: a script may start something on purpose). After a kill, only
      // once the group is gone, so the output of its last moments is kept.
      void Promise.resolve(terminator).then(() => {
        if (closed) return;
        drainTimer = setTimeout(() => {
          channel.close();
          resolve();
        }, control.pipeDrainMs);
      });
    });
  });

  let lostReason = await Promise.race([finished.then(() => undefined), conn.closed]);
  if (lostReason === undefined && exit === undefined) {
    // Channels also close when their connection does: no exit status means that, or a host that sends none.
    lostReason = await Promise.race([conn.closed, new Promise<undefined>((r) => setTimeout(() => r(undefined), LOST_CHECK_MS))]);
  }
  if (lostReason === undefined && terminator) await Promise.race([terminator, conn.closed]);
  clearTimeout(timer);
  clearTimeout(drainTimer);
  control.signal?.removeEventListener('abort', onAbort);
  await output.finish();

  if (lostReason !== undefined) {
    return {
      taskId: task.taskId,
      status: 'lost',
      exitCode: null,
      signal: null,
      ...output.summary(),
      startedAt,
      finishedAt: Date.now(),
      error: `${lostReason} ${pgid === undefined ? 'before the task started' : 'while the task ran'}`,
    };
  }
  if (pgid === undefined) {
    if (endedBy) return notStarted(task.taskId, endedBy, endedBy === 'timeout' ? `timed out after ${task.timeoutSec} s before it started` : 'killed before it started');
    return notStarted(task.taskId, 'failed', describeSetupFailure(staged, setup, output.summary().stderr, exit?.code ?? null));
  }
  const { exitCode, signal } = exitOf(exit, endedBy);
  const status: TaskStatus = endedBy ?? (exitCode === 0 ? 'success' : 'failed');
  return {
    taskId: task.taskId,
    status,
    exitCode,
    signal,
    ...output.summary(),
    startedAt,
    finishedAt: Date.now(),
    error: endedBy === 'timeout' ? `timed out after ${task.timeoutSec} s` : endedBy === 'killed' ? 'killed on request' : exit ? null : 'the host ended the task without an exit status',
  };
}

/**
 * The runner exits with the task's status, which a shell reports as 128+N
 * when signal N ended it. Alone that cannot be told from `exit 143`; when we
 * sent the signals it is read as one, as the agent would report it.
 */
function exitOf(exit: ExitStatus | undefined, endedBy: 'timeout' | 'killed' | undefined): { exitCode: number | null; signal: string | null } {
  if (!exit) return { exitCode: null, signal: null };
  if (exit.signal) return { exitCode: null, signal: exit.signal };
  const bySignal = exit.code !== null && exit.code > 128 ? SIGNAL_NAMES.get(exit.code - 128) : undefined;
  if (endedBy && bySignal) return { exitCode: null, signal: bySignal };
  return { exitCode: exit.code, signal: null };
}

function describeSetupFailure(staged: StagedTask, setup: SetupFailure | undefined, stderr: string, code: number | null): string {
  const user = staged.sudoUser ?? 'the SSH user';
  switch (setup) {
    case 'workdir':
      return `workdir ${staged.task.workdir} does not exist, is not a directory, or ${user} cannot enter it`;
    case 'interpreter':
      return `interpreter ${staged.invocation.command} not found on this host`;
    case 'setsid':
      return 'setsid (util-linux) not found on this host: it runs the task in its own process group';
    case undefined:
      if (staged.sudoUser !== undefined) return describeSudoFailure(staged.sudoUser, stderr, code);
      return `cannot start the task on the host: ${firstLine(stderr) || `exit ${code}`}`;
  }
}
