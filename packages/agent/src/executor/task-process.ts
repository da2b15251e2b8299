import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { signalGroup, waitGroupGone } from './process-group.js';
import type { TaskOutput } from './task-output.js';

/** After SIGKILL a group dies at once; this only bounds the wait where /proc is missing and nobody reaps. */
const REAP_WAIT_MS = 2_000;

export interface ProcessSpec {
  command: string;
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  /** Set only to switch users (the agent is root). */
  uid?: number;
  gid?: number;
  timeoutSec: number;
}

export interface ProcessControl {
  signal?: AbortSignal;
  killGraceMs: number;
  pipeDrainMs: number;
  /** Told the pid (= process group id) once the process runs, so the agent can record it for after a restart. */
  onStart?: (pid: number) => void;
}

export type ProcessOutcome =
  | { started: false; error: Error }
  | {
      started: true;
      startedAt: number;
      code: number | null;
      signal: NodeJS.Signals | null;
      /** Set when the agent ended it: the timeout passed or a kill was asked for. */
      endedBy: 'timeout' | 'killed' | undefined;
    };

/**
 * Starts the process in its own group, feeds its output to `output`, and
 * resolves once it has ended and its output is read. On timeout or abort the
 * group gets SIGTERM, then SIGKILL after the grace period; it resolves only
 * when no process of the group runs any more.
 */
export async function runProcess(spec: ProcessSpec, control: ProcessControl, output: TaskOutput): Promise<ProcessOutcome> {
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.argv, {
      cwd: spec.cwd,
      env: spec.env,
      // Own process group (pgid = pid): the unit a timeout or kill signals.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      uid: spec.uid,
      gid: spec.gid,
    });
  } catch (err) {
    return { started: false, error: err instanceof Error ? err : new Error(String(err)) };
  }
  const stdout = child.stdout as Readable;
  const stderr = child.stderr as Readable;
  stdout.on('data', (d: Buffer) => output.write('stdout', d));
  stderr.on('data', (d: Buffer) => output.write('stderr', d));
  const pipesClosed = Promise.all([closed(stdout), closed(stderr)]);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const spawnError = await new Promise<Error | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', resolve);
  });
  if (spawnError) return { started: false, error: spawnError };
  // Later 'error' events (none are expected once spawned) must not crash the agent.
  child.on('error', () => undefined);
  const startedAt = Date.now();
  const pgid = child.pid as number;
  try {
    control.onStart?.(pgid);
  } catch {
    // Recording the pid is the caller's bookkeeping; a failure there must not orphan the process.
  }

  let endedBy: 'timeout' | 'killed' | undefined;
  let terminatedAt = 0;
  let hasExited = false;
  let killTimer: NodeJS.Timeout | undefined;
  const terminate = (reason: 'timeout' | 'killed') => {
    if (hasExited || endedBy) return;
    endedBy = reason;
    terminatedAt = Date.now();
    signalGroup(pgid, 'SIGTERM');
    killTimer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), control.killGraceMs);
  };
  const timeout = setTimeout(() => terminate('timeout'), spec.timeoutSec * 1000);
  const onAbort = () => terminate('killed');
  control.signal?.addEventListener('abort', onAbort, { once: true });
  if (control.signal?.aborted) onAbort();

  const { code, signal } = await exited;
  hasExited = true;
  clearTimeout(timeout);
  control.signal?.removeEventListener('abort', onAbort);
  if (endedBy) {
    // The result must not say "timeout"/"killed" while part of the group lives
    // on: wait out the grace period, then SIGKILL whatever ignored SIGTERM.
    if (!(await waitGroupGone(pgid, terminatedAt + control.killGraceMs))) {
      signalGroup(pgid, 'SIGKILL');
      await waitGroupGone(pgid, Date.now() + REAP_WAIT_MS);
    }
    clearTimeout(killTimer);
  }
  await drainPipes(pipesClosed, [stdout, stderr], control.pipeDrainMs);
  return { started: true, startedAt, code, signal, endedBy };
}

/**
 * Waits for the pipes to close, or stops reading after `ms`: a process the
 * script left running (`cmd &`) may hold them open for as long as it lives.
 */
async function drainPipes(pipesClosed: Promise<unknown>, pipes: Readable[], ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), ms)));
  const timedOut = await Promise.race([pipesClosed.then(() => false), gaveUp]);
  clearTimeout(timer);
  if (timedOut) for (const pipe of pipes) pipe.destroy();
}

function closed(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.closed) resolve();
    else stream.once('close', () => resolve());
  });
}
