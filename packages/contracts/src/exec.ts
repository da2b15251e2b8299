import { z } from 'zod';

/**
 * Remote execution: what a task is and what comes back, the same for agent
 * and SSH hosts. The agent protocol (proto/agent/v1/agent.proto) carries the
 * same fields; the agent validates what it receives with these schemas too.
 */

/** Interpreters a task may name; without one, the script's `#!` line decides. */
export const INTERPRETERS = ['bash', 'sh', 'python3'] as const;
export const Interpreter = z.enum(INTERPRETERS, {
  error: 'unknown interpreter: use bash, sh or python3, or leave it out to follow the script\'s #! line',
});
export type Interpreter = z.infer<typeof Interpreter>;

export const TASK_STATUSES = ['success', 'failed', 'timeout', 'killed', 'lost'] as const;
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;

export const OUTPUT_STREAMS = ['stdout', 'stderr'] as const;
export const OutputStream = z.enum(OUTPUT_STREAMS);
export type OutputStream = z.infer<typeof OutputStream>;

export const MAX_SCRIPT_BYTES = 1024 * 1024;
export const MAX_TASK_ARGS = 64;
export const MAX_TIMEOUT_SEC = 86_400;
export const DEFAULT_TIMEOUT_SEC = 600;
/** The tail of each output stream a result keeps. */
export const OUTPUT_TAIL_BYTES = 1024 * 1024;

/** UTF-8 length without allocating an encoded copy (contracts are isomorphic: no Buffer). */
function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// A NUL cannot cross execve (argv/env are C strings): refuse it up front
// rather than fail at spawn time.
const noNul = (s: string) => !s.includes('\0');
const Text = (max: number) => z.string().max(max).refine(noNul, 'must not contain a NUL character');

/** Environment variable and parameter names, as a POSIX shell accepts them. */
export const EnvName = z
  .string()
  .max(128)
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'letters, digits and underscore; not starting with a digit');

const EnvRecord = z
  .record(EnvName, Text(32 * 1024))
  .refine((r) => Object.keys(r).length <= 256, 'at most 256 entries');

/** Task ids are used in file names in the agent's state dir. */
export const TaskId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore');

/** A Unix user name (useradd's rule, case-insensitive, at most 32). */
export const RunAsUser = z
  .string()
  .max(32)
  .regex(/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/, 'a Unix user name');

/** What to run on one host. */
export const ExecTask = z.strictObject({
  script: z
    .string()
    .min(1)
    .max(MAX_SCRIPT_BYTES)
    .refine((s) => utf8Length(s) <= MAX_SCRIPT_BYTES, `at most ${MAX_SCRIPT_BYTES} bytes`),
  interpreter: Interpreter.optional(),
  args: z.array(Text(32 * 1024)).max(MAX_TASK_ARGS).default([]),
  env: EnvRecord.default({}),
  /** Given to the script as `OPSLINE_PARAM_<NAME>` environment variables, never pasted into it. */
  params: EnvRecord.default({}),
  runAs: RunAsUser.optional(),
  workdir: Text(4096)
    .refine((p) => p.startsWith('/'), 'an absolute path')
    .optional(),
  timeoutSec: z.number().int().min(1).max(MAX_TIMEOUT_SEC).default(DEFAULT_TIMEOUT_SEC),
});
export type ExecTask = z.infer<typeof ExecTask>;
/** What callers may send: defaults not yet applied. */
export type ExecTaskInput = z.input<typeof ExecTask>;

/** A task sent to one host: the task plus the id every later message names. */
export const TaskAssignment = ExecTask.extend({ taskId: TaskId });
export type TaskAssignment = z.infer<typeof TaskAssignment>;
export type TaskAssignmentInput = z.input<typeof TaskAssignment>;

const UnixMs = z.number().int().nonnegative();

/** How a task ended. */
export const TaskResult = z.object({
  taskId: TaskId,
  status: TaskStatus,
  /** Null when the process died of a signal or never started. */
  exitCode: z.number().int().nullable(),
  /** The signal that ended the process (`SIGTERM`), or null. */
  signal: z.string().nullable(),
  /** The last {@link OUTPUT_TAIL_BYTES} of each stream, decoded as UTF-8. */
  stdout: z.string(),
  stderr: z.string(),
  /** Bytes written in all, also where the tails cut them off. */
  stdoutBytes: z.number().int().nonnegative(),
  stderrBytes: z.number().int().nonnegative(),
  /** Null when the process never started. */
  startedAt: UnixMs.nullable(),
  finishedAt: UnixMs,
  /** Why it failed outside the script (cannot start, run-as refused…), for a person to read. */
  error: z.string().nullable(),
});
export type TaskResult = z.infer<typeof TaskResult>;

/** The result of a task that never started (refused, killed while queued, host unreachable). */
export function taskNotStarted(taskId: string, status: TaskStatus, error: string, finishedAt: number = Date.now()): TaskResult {
  return { taskId, status, exitCode: null, signal: null, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, startedAt: null, finishedAt, error };
}
