import { stat } from 'node:fs/promises';
import { TaskAssignment, taskNotStarted, type TaskAssignmentInput, type TaskResult, type TaskStatus } from '@opsline/contracts';
import type { ZodError } from 'zod';
import { resolveInterpreter, type Invocation } from './interpreter.js';
import { assertTraversable, resolveTaskUser, type TaskUser } from './run-as.js';
import { ensureTmpDir, removeScriptFile, writeScriptFile, type ScriptFile } from './script-file.js';
import { buildTaskEnv } from './task-env.js';
import { DEFAULT_OUTPUT_LIMITS, TaskOutput, type OutputLimits, type OutputSink } from './task-output.js';
import { runProcess } from './task-process.js';
import { TaskSetupError } from './task-setup-error.js';

export const DEFAULT_KILL_GRACE_MS = 5_000;
export const DEFAULT_PIPE_DRAIN_MS = 2_000;

/** How tasks run on this agent; shared by every task of an executor. */
export interface TaskRunSettings {
  /** The agent's private tmp dir (`<stateDir>/tmp`); each task gets a 0700 dir inside it. */
  tmpDir: string;
  /** The host name the agent reports (`--hostname` or the OS's): tasks see it as OPSLINE_HOST. */
  hostname?: string;
  /** After SIGTERM to a task's group, how long before SIGKILL. */
  killGraceMs?: number;
  /**
   * After the script exits, how long to keep reading output that a process it
   * left running (`cmd &`) still writes to the inherited pipes. Such leftovers
   * are not killed: a script may start something on purpose.
   */
  pipeDrainMs?: number;
  output?: Partial<OutputLimits>;
}

export interface RunTaskOptions extends TaskRunSettings {
  /** Output chunks while the task runs; see {@link OutputSink}. */
  onOutput?: OutputSink;
  /** Aborting kills the task the way a timeout does; its status is then `killed`. */
  signal?: AbortSignal;
  /** Called with the task's pid (its process group id) once it has started. */
  onStart?: (pid: number) => void;
}

interface PreparedTask {
  task: TaskAssignment;
  user: TaskUser;
  invocation: Invocation;
  cwd: string;
  env: Record<string, string>;
  file: ScriptFile;
}

/**
 * Runs one task to its end and never rejects: anything that keeps the task
 * from starting becomes a `failed` result with a readable `error`.
 *
 * The script is a private file run by its interpreter with args as argv and
 * params as environment variables, in a new process group, so a timeout or a
 * kill (SIGTERM, then SIGKILL after the grace period) reaches every process
 * it started.
 */
export async function runTask(input: TaskAssignmentInput, options: RunTaskOptions): Promise<TaskResult> {
  const rawId = (input as { taskId?: unknown } | null)?.taskId;
  const taskId = typeof rawId === 'string' ? rawId : '';
  if (options.signal?.aborted) return taskNotStarted(taskId, 'killed', 'killed before it started');
  let prepared: PreparedTask;
  try {
    prepared = await prepare(input, options.tmpDir, options.hostname);
  } catch (err) {
    const message = err instanceof TaskSetupError ? err.message : `cannot prepare the task: ${errorMessage(err)}`;
    return taskNotStarted(taskId, 'failed', message);
  }
  try {
    return await execute(prepared, options);
  } catch (err) {
    // Not expected (signalling our own group does not fail); keeps the promise's contract.
    return taskNotStarted(taskId, 'failed', `agent error while running the task: ${errorMessage(err)}`);
  } finally {
    // A leftover task dir is only litter (the agent's start-up is to clear its tmp dir); the result is what matters.
    await removeScriptFile(prepared.file).catch(() => undefined);
  }
}

async function prepare(input: TaskAssignmentInput, tmpDir: string, hostname: string | undefined): Promise<PreparedTask> {
  const parsed = TaskAssignment.safeParse(input);
  if (!parsed.success) throw new TaskSetupError(`invalid task: ${describeIssues(parsed.error)}`);
  const task = parsed.data;
  const user = await resolveTaskUser(task.runAs);
  const invocation = resolveInterpreter(task.interpreter, task.script);
  const cwd = await resolveWorkdir(task.workdir, user);
  await ensureTmpDir(tmpDir);
  if (user.switchTo) await assertTraversable(tmpDir, user);
  const env = buildTaskEnv(task.taskId, user, task.env, task.params, process.env, hostname);
  const file = await writeScriptFile(tmpDir, task.script, user);
  return { task, user, invocation, cwd, env, file };
}

/** The given workdir must exist; without one, the user's home, or / when it has none (`useradd --no-create-home`). */
async function resolveWorkdir(workdir: string | undefined, user: TaskUser): Promise<string> {
  if (workdir !== undefined) {
    if (!(await isDirectory(workdir))) throw new TaskSetupError(`workdir ${workdir} does not exist or is not a directory`);
    return workdir;
  }
  return (await isDirectory(user.home)) ? user.home : '/';
}

async function execute(p: PreparedTask, o: RunTaskOptions): Promise<TaskResult> {
  const { task, invocation } = p;
  const output = new TaskOutput(o.onOutput, { ...DEFAULT_OUTPUT_LIMITS, ...o.output });
  const outcome = await runProcess(
    {
      command: invocation.command,
      argv: [...invocation.args, p.file.path, ...task.args],
      cwd: p.cwd,
      env: p.env,
      uid: p.user.switchTo?.uid,
      gid: p.user.switchTo?.gid,
      timeoutSec: task.timeoutSec,
    },
    { signal: o.signal, onStart: o.onStart, killGraceMs: o.killGraceMs ?? DEFAULT_KILL_GRACE_MS, pipeDrainMs: o.pipeDrainMs ?? DEFAULT_PIPE_DRAIN_MS },
    output,
  );
  await output.finish();
  if (!outcome.started) return taskNotStarted(task.taskId, 'failed', describeSpawnError(invocation.command, outcome.error));

  const { endedBy, code } = outcome;
  const status: TaskStatus = endedBy ?? (code === 0 ? 'success' : 'failed');
  return {
    taskId: task.taskId,
    status,
    exitCode: code,
    signal: outcome.signal,
    ...output.summary(),
    startedAt: outcome.startedAt,
    finishedAt: Date.now(),
    error: endedBy === 'timeout' ? `timed out after ${task.timeoutSec} s` : endedBy === 'killed' ? 'killed on request' : null,
  };
}


function describeSpawnError(command: string, err: Error): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `interpreter ${command} not found on this host`;
  if (code === 'EACCES') return `cannot start ${command}: permission denied (the interpreter or the working directory)`;
  return `cannot start ${command}: ${err.message}`;
}

function describeIssues(error: ZodError): string {
  return error.issues.map((i) => `${i.path.length ? i.path.join('.') : 'task'}: ${i.message}`).join('; ');
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
