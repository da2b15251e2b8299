import { EnvName } from '@opsline/contracts';
import { shellQuote, shellWords } from './ssh-quote.js';

/**
 * The shell that runs on an SSH host. Apart from the runner (built per task,
 * every value in it quoted by shellQuote), these are constants that take
 * their values as `$1…` (see shCommand). POSIX sh only: hosts may have dash,
 * busybox or bash as /bin/sh.
 *
 * The runner tells the server how it got on with lines on stdout, before any
 * output of the task: `OPSLINE_PGID=<n>` once the task runs, in its own
 * session and process group `<n>`; or `OPSLINE_SETUP=<what>` when it could
 * not start it. Lines before those (a login shell's startup files may print)
 * are not the task's and are dropped.
 */

/** Every task dir matches this; anything else is never handed to `rm -rf`. */
export const TASK_DIR_PATTERN = /^\/tmp\/opsline-task\.[A-Za-z0-9]{10}$/;
const MKTEMP = 'mktemp -d /tmp/opsline-task.XXXXXXXXXX';

export const PGID_MARK = 'OPSLINE_PGID=';
export const SETUP_MARK = 'OPSLINE_SETUP=';
export const DIR_MARK = 'OPSLINE_DIR=';

/** Why the runner did not start the task (the value after {@link SETUP_MARK}). */
export type SetupFailure = 'workdir' | 'interpreter' | 'setsid';
export const SETUP_FAILURES: readonly SetupFailure[] = ['workdir', 'interpreter', 'setsid'];

/** A fresh 0700 dir for the SSH user: prints `OPSLINE_DIR=<path>`. */
export const MAKE_DIR_SCRIPT = `d=$(${MKTEMP}) && echo "${DIR_MARK}$d"`;

/**
 * For runAs: copies `$2/run` and `$2/script` (the SSH user's, 0600) into a
 * fresh 0700 dir of user `$1`, through sudo and a pipe, since that user
 * cannot read the SSH user's dir. Removes `$2`; prints `OPSLINE_DIR=<path>`.
 * A refusing sudo says why on stderr.
 */
export const COPY_AS_SCRIPT = [
  'u=$1 src=$2',
  `d=$(sudo -n -u "$u" -- ${MKTEMP}) || exit 1`,
  'for f in run script; do',
  `  sudo -n -u "$u" -- sh -c 'umask 077 && cat > "$1"' sh "$d/$f" < "$src/$f" || { sudo -n -u "$u" -- rm -rf -- "$d"; exit 1; }`,
  'done',
  'rm -rf -- "$src"',
  `echo "${DIR_MARK}$d"`,
].join('\n');

// The runner may still be writing its last file while this runs (rmdir then fails with "not empty"): try again a few times.
export const REMOVE_DIR_SCRIPT = 'for i in 1 2 3 4 5; do rm -rf -- "$1" 2>/dev/null; [ -e "$1" ] || exit 0; sleep 0.2; done; exit 1';

/**
 * Ends process group `$1`: SIGTERM, then SIGKILL if any member still runs
 * after `$2` tenths of a second. It runs on the host, so the escalation
 * finishes even if the connection drops meanwhile. A zombie member is dead
 * (some inits reap late): with /proc, only members that are not zombies
 * count; without it, any member does. `sleep 0.1` is not POSIX: where it
 * fails, whole seconds.
 */
export const TERMINATE_SCRIPT = [
  'p=$1 steps=$2',
  'alive() {',
  '  kill -s 0 -- "-$p" 2>/dev/null || return 1',
  '  [ -r /proc/self/stat ] || return 0',
  '  for f in /proc/[0-9]*/stat; do',
  '    read -r line 2>/dev/null < "$f" || continue',
  // `pid (comm) state ppid pgrp …`: comm may hold spaces, so split after the last ") ".
  "    set -- ${line##*') '}",
  '    [ "$3" = "$p" ] && [ "$1" != Z ] && return 0',
  '  done',
  '  return 1',
  '}',
  'kill -s TERM -- "-$p" 2>/dev/null || exit 0',
  'while alive; do',
  '  if [ "$steps" -le 0 ]; then kill -s KILL -- "-$p" 2>/dev/null; exit 0; fi',
  '  if sleep 0.1 2>/dev/null; then steps=$((steps - 1)); else sleep 1; steps=$((steps - 10)); fi',
  'done',
].join('\n');

export interface RunnerSpec {
  taskId: string;
  /** The interpreter and its own arguments (from the task or the script's #! line). */
  command: string;
  commandArgs: readonly string[];
  args: readonly string[];
  env: Readonly<Record<string, string>>;
  params: Readonly<Record<string, string>>;
  workdir?: string;
}

/**
 * The per-task runner, uploaded beside the script and run as `sh <dir>/run`
 * by the task's user (after sudo, which resets the environment: that is why
 * the variables are set here and not on the command line, where `ps` and
 * sudo's log would also show them).
 *
 * `setsid` gives the task its own session and process group: it is forked
 * from this shell, so it is not a group leader and setsid(2) works without
 * another fork, leaving its pid as the pgid the inner `sh` prints before it
 * execs the interpreter. The runner itself stays outside that group, so a
 * group kill leaves it alive to report the exit status and remove the dir.
 * Its own stderr goes to /dev/null, so its "Terminated" notice when a kill
 * ends the task is not mistaken for task output; the task gets the channel's
 * stderr back from fd 3 inside the new session (a redirection on the setsid
 * line would not do: dash keeps it in force in the runner while it waits).
 * No shell variable of ours is set after the task's exports, which may use
 * any name: the dir is always "${0%/*}".
 */
export function runnerScript(spec: RunnerSpec): string {
  const q = shellQuote;
  const exportLine = (name: string, value: string) => {
    // The task schema checked the names; a runner must hold no unchecked name either way.
    if (!EnvName.safeParse(name).success) throw new TypeError(`not a variable name: ${JSON.stringify(name)}`);
    return `export ${name}=${q(value)}`;
  };
  const fail = (what: SetupFailure, code: number) => `{ echo ${SETUP_MARK}${what}; rm -rf -- "\${0%/*}"; exit ${code}; }`;
  return [
    '# Written by opsline for one task; removed with its dir when the task ends.',
    spec.workdir === undefined ? 'cd -- "${HOME:-/}" 2>/dev/null || cd /' : `cd -- ${q(spec.workdir)} 2>/dev/null || ${fail('workdir', 1)}`,
    // Same precedence as the agent: the task id, then env, then params.
    exportLine('OPSLINE_TASK_ID', spec.taskId),
    ...Object.entries(spec.env).map(([name, value]) => exportLine(name, value)),
    ...Object.entries(spec.params).map(([name, value]) => exportLine(`OPSLINE_PARAM_${name}`, value)),
    `command -v ${q(spec.command)} >/dev/null 2>&1 || ${fail('interpreter', 127)}`,
    `command -v setsid >/dev/null 2>&1 || ${fail('setsid', 127)}`,
    'exec 3>&2 2>/dev/null',
    `setsid sh -c 'exec 2>&3 3>&-; echo "${PGID_MARK}$$"; exec "$@"' sh ${shellWords([spec.command, ...spec.commandArgs])} "\${0%/*}/script" ${shellWords(spec.args)} </dev/null`,
    'rc=$?',
    'rm -rf -- "${0%/*}"',
    'exit "$rc"',
    '',
  ].join('\n');
}
