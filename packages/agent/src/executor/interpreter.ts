import type { Interpreter } from '@opsline/contracts';
import { TaskSetupError } from './task-setup-error.js';

/** How to start a script file: `command` with `args`, then the file, then the task's args. */
export interface Invocation {
  command: string;
  args: string[];
}

const NAMED: Record<Interpreter, Invocation> = {
  bash: { command: 'bash', args: [] },
  sh: { command: 'sh', args: [] },
  python3: { command: 'python3', args: [] },
};

/** Without an interpreter or a `#!` line, a script is run by bash (what ops scripts mostly assume). */
const DEFAULT: Invocation = NAMED.bash;

/**
 * Picks the program that runs a script. A named interpreter wins; otherwise
 * the `#!` line is honoured the way the kernel would (the path, then the rest
 * of the line as ONE argument), so the file itself needs no exec bit and can
 * stay 0600. An unknown name is refused, never passed to a shell.
 */
export function resolveInterpreter(interpreter: string | undefined, script: string): Invocation {
  if (interpreter !== undefined && interpreter !== '') {
    const named = Object.hasOwn(NAMED, interpreter) ? NAMED[interpreter as Interpreter] : undefined;
    if (!named) throw new TaskSetupError(`unknown interpreter "${interpreter}": use bash, sh or python3, or none to follow the script's #! line`);
    return named;
  }
  return parseShebang(script) ?? DEFAULT;
}

/** `#!/usr/bin/env python3` → `{command: '/usr/bin/env', args: ['python3']}`; undefined without a `#!` line. */
export function parseShebang(script: string): Invocation | undefined {
  if (!script.startsWith('#!')) return undefined;
  const end = script.indexOf('\n');
  const line = script.slice(2, end === -1 ? undefined : end).replace(/\r$/, '').trim();
  if (line === '') throw new TaskSetupError('the script\'s #! line names no interpreter');
  const space = line.search(/[ \t]/);
  const command = space === -1 ? line : line.slice(0, space);
  const rest = space === -1 ? '' : line.slice(space).trim();
  if (!command.startsWith('/')) throw new TaskSetupError(`the script's #! line must name an absolute path, got "${command}"`);
  return { command, args: rest === '' ? [] : [rest] };
}
