import type { TaskUser } from './run-as.js';

/**
 * Variables passed through from the agent's own environment. Deliberately
 * few: the agent's environment may hold its configuration and secrets, which
 * a task must not see.
 */
const PASSED_THROUGH = ['PATH', 'LANG', 'LANGUAGE', 'LC_ALL', 'LC_CTYPE', 'TZ'] as const;

const FALLBACK_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The prefix parameters get as environment variables. */
export const PARAM_PREFIX = 'OPSLINE_PARAM_';

/**
 * The task's environment, in order of precedence (later wins): passed-through
 * variables, the user's identity, the task's `env`, then its params as
 * `OPSLINE_PARAM_<NAME>` (names kept as given). Values reach the process
 * through execve's envp, never through a shell string, so `$(…)` or `;` in a
 * value stays literal. Names were validated by the task schema.
 */
export function buildTaskEnv(
  taskId: string,
  user: TaskUser,
  env: Record<string, string>,
  params: Record<string, string>,
  agentEnv: NodeJS.ProcessEnv = process.env,
  hostname?: string,
): Record<string, string> {
  // No prototype: a variable named __proto__ is a variable, not a prototype change.
  const out = Object.create(null) as Record<string, string>;
  for (const name of PASSED_THROUGH) {
    const value = agentEnv[name];
    if (value !== undefined) out[name] = value;
  }
  out.PATH ??= FALLBACK_PATH;
  out.HOME = user.home;
  out.USER = user.name;
  out.LOGNAME = user.name;
  out.SHELL = user.shell;
  out.OPSLINE_TASK_ID = taskId;
  // The host as the CMDB knows it (several agents on one machine each have their own).
  if (hostname) out.OPSLINE_HOST = hostname;
  for (const [name, value] of Object.entries(env)) out[name] = value;
  for (const [name, value] of Object.entries(params)) out[PARAM_PREFIX + name] = value;
  return out;
}
