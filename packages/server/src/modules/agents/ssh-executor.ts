import { DEFAULT_KILL_GRACE_MS, DEFAULT_PIPE_DRAIN_MS, resolveInterpreter, type Invocation, type OutputLimits, type OutputSink } from '@opsline/agent';
import { TaskAssignment, type TaskAssignmentInput, type TaskResult } from '@opsline/contracts';
import { connectSsh, SshLostError, type SshConnection, type SshTarget } from './ssh-connection.js';
import { shCommand } from './ssh-quote.js';
import { describeSudoFailure, errorMessage, firstLine, notStarted } from './ssh-result.js';
import { runRunner } from './ssh-run.js';
import { COPY_AS_SCRIPT, DIR_MARK, MAKE_DIR_SCRIPT, REMOVE_DIR_SCRIPT, runnerScript, TASK_DIR_PATTERN } from './ssh-scripts.js';

export type { SshTarget } from './ssh-connection.js';
export { hostKeyFingerprint } from './ssh-connection.js';

export interface SshRunOptions {
  /** Output chunks while the task runs, as the agent sends them (≤ 64 KiB each). */
  onOutput?: OutputSink;
  /** Aborting kills the task the way a timeout does; its status is then `killed`. */
  signal?: AbortSignal;
  /** After SIGTERM to the task's group, how long before SIGKILL. */
  killGraceMs?: number;
  /** After the task exits, how long to keep reading output a process it left running still writes. */
  pipeDrainMs?: number;
  keepaliveIntervalMs?: number;
  output?: Partial<OutputLimits>;
}

/** A dir on the host to remove afterwards, and the user (via sudo) who owns it. */
interface TaskDir {
  path: string;
  owner: string | undefined;
}

/** The task could not be set up on the host; the message is for the person who ran it. */
class SshSetupError extends Error {}

/**
 * Runs one task on an agentless host over SSH and never rejects: it answers
 * with the same TaskResult as the agent's executor, with a readable `error`
 * when the host cannot be reached or the task cannot start.
 *
 * The script and a generated runner are uploaded over SFTP into a fresh 0700
 * dir (`mktemp -d` under /tmp, files 0600), copied through sudo into one of
 * the run-as user's when that differs from the SSH user, and run in their own
 * session and process group (setsid). Values (args, env, params, paths) reach
 * the host only as single-quoted shell words. A timeout or a kill signals the
 * whole group from a second channel (SIGTERM, SIGKILL after the grace
 * period); a dropped connection ends as `lost` with the output so far. The
 * dir is removed afterwards (by the runner itself when the task ends, even if
 * the connection was lost, and again by us).
 */
export async function runOverSsh(target: SshTarget, input: TaskAssignmentInput, options: SshRunOptions = {}): Promise<TaskResult> {
  const rawId = (input as { taskId?: unknown } | null)?.taskId;
  const taskId = typeof rawId === 'string' ? rawId : '';
  if (options.signal?.aborted) return notStarted(taskId, 'killed', 'killed before it started');
  const parsed = TaskAssignment.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'task'}: ${i.message}`).join('; ');
    return notStarted(taskId, 'failed', `invalid task: ${issues}`);
  }
  const task = parsed.data;
  let invocation: Invocation;
  try {
    invocation = resolveInterpreter(task.interpreter, task.script);
  } catch (err) {
    return notStarted(taskId, 'failed', errorMessage(err));
  }

  let conn: SshConnection;
  try {
    conn = await connectSsh(target, { signal: options.signal, keepaliveIntervalMs: options.keepaliveIntervalMs });
  } catch (err) {
    if (options.signal?.aborted) return notStarted(taskId, 'killed', 'killed before it started');
    return notStarted(taskId, 'failed', errorMessage(err));
  }
  const dirs: TaskDir[] = [];
  let lost = false;
  try {
    // runAs naming the SSH user itself needs no sudo (the agent treats its own name the same way).
    const sudoUser = task.runAs !== undefined && task.runAs !== target.username ? task.runAs : undefined;
    const runner = runnerScript({
      taskId: task.taskId,
      command: invocation.command,
      commandArgs: invocation.args,
      args: task.args,
      env: task.env,
      params: task.params,
      workdir: task.workdir,
    });
    const dir = await stage(conn, runner, task.script, sudoUser, dirs);
    if (options.signal?.aborted) return notStarted(taskId, 'killed', 'killed before it started');
    const result = await runRunner(conn, { task, invocation, dir, sudoUser }, {
      onOutput: options.onOutput,
      signal: options.signal,
      killGraceMs: options.killGraceMs ?? DEFAULT_KILL_GRACE_MS,
      pipeDrainMs: options.pipeDrainMs ?? DEFAULT_PIPE_DRAIN_MS,
      output: options.output,
    });
    lost = result.status === 'lost';
    return result;
  } catch (err) {
    if (err instanceof SshLostError) {
      lost = true;
      return notStarted(taskId, 'lost', `${err.message} before the task started`);
    }
    if (err instanceof SshSetupError) return notStarted(taskId, 'failed', err.message);
    return notStarted(taskId, 'failed', `cannot set up the task on ${target.host}: ${errorMessage(err)}`);
  } finally {
    if (!lost) await removeDirs(conn, dirs);
    conn.end();
  }
}

/**
 * Uploads the runner and the script; returns the dir the task runs from.
 * Each dir is added to `dirs` as soon as it exists, for the cleanup.
 */
async function stage(conn: SshConnection, runner: string, script: string, sudoUser: string | undefined, dirs: TaskDir[]): Promise<string> {
  const made = await conn.run(shCommand(MAKE_DIR_SCRIPT));
  const dir = markedDir(made.stdout);
  if (dir !== undefined) dirs.push({ path: dir, owner: undefined });
  if (made.code !== 0 || dir === undefined) throw new SshSetupError(`cannot make a temp dir under /tmp on the host: ${firstLine(made.stderr) || `exit ${made.code}`}`);
  await conn.writeFiles([
    { path: `${dir}/run`, data: runner, mode: 0o600 },
    { path: `${dir}/script`, data: script, mode: 0o600 },
  ]);
  if (sudoUser === undefined) return dir;
  const copied = await conn.run(shCommand(COPY_AS_SCRIPT, [sudoUser, dir]));
  const asDir = markedDir(copied.stdout);
  if (asDir !== undefined) dirs.push({ path: asDir, owner: sudoUser });
  if (copied.code !== 0 || asDir === undefined) throw new SshSetupError(describeSudoFailure(sudoUser, copied.stderr, copied.code));
  return asDir;
}

/** The dir a helper printed as `OPSLINE_DIR=…`, if it has the shape of ours. */
function markedDir(stdout: string): string | undefined {
  const line = stdout.split('\n').find((l) => l.startsWith(DIR_MARK));
  const dir = line?.slice(DIR_MARK.length).trim();
  return dir !== undefined && TASK_DIR_PATTERN.test(dir) ? dir : undefined;
}

/** Best effort: a dir left behind is litter, not a wrong result (the runner removes it too). */
async function removeDirs(conn: SshConnection, dirs: TaskDir[]): Promise<void> {
  for (const d of dirs.reverse()) {
    await conn.run(shCommand(REMOVE_DIR_SCRIPT, [d.path], d.owner)).catch(() => undefined);
  }
}
