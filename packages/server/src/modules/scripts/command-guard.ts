import { Script, createContext } from 'node:vm';
import type { GuardAction, GuardVerdict } from '@opsline/contracts';

/** A rule as the guard applies it: a JavaScript regular expression tried on each line. */
export interface GuardRule {
  id: string;
  name: string;
  pattern: string;
  action: GuardAction;
}

/** What the guard reports of one matching line: at most this many, and each line's text cut to this length. */
const MAX_MATCHES = 100;
const MAX_TEXT = 200;
/** Each rule gets this long on a whole script; a rule that runs out is treated as matching (fail closed). */
const RULE_DEADLINE_MS = 1_000;
/** At save time a pattern must reject each 10 KB adversarial line within this. */
const PROBE_DEADLINE_MS = 250;
const PROBE_BYTES = 10 * 1024;

/** Where the command may start: not inside a word, a path or a flag (`--no-reboot`, `/var/run/reboot-required`). */
const CMD_START = String.raw`(?<![\w./-])`;
/** A target that is the root itself: `/`, `/*`, quoted or not, as a whole argument. */
const ROOT_ARG = String.raw`["']?\/\*?["']?(?=[\s;&|)]|$)`;
/** Further arguments of the same command (never across `;`, `&` or `|`). */
const ARGS = String.raw`(?:[^\s;&|]+\s+)*`;
const DISK = String.raw`\/dev\/(?:(?:sd|hd|vd|xvd)[a-z]|nvme\d|mmcblk\d)`;

/**
 * Built-in rules, seeded at start-up under fixed ids so every server writes
 * the same rows. They can be disabled, not changed or deleted; a new release
 * refreshes their patterns.
 */
export const BUILTIN_GUARD_RULES: readonly (GuardRule & { description: string })[] = [
  {
    id: '00000000-0000-7000-8000-0000000000a1', name: 'rm -rf /', action: 'block',
    pattern: String.raw`\brm\s+${ARGS}(?:${ROOT_ARG}|--no-preserve-root\b)`,
    description: 'rm with / or /* as an argument, or with --no-preserve-root: deletes the whole file system',
  },
  {
    id: '00000000-0000-7000-8000-0000000000a2', name: 'mkfs', action: 'block',
    pattern: String.raw`\b(?:mkfs(?:\.\w+)?|mke2fs)\b`,
    description: 'mkfs (mkfs.ext4, mkfs.xfs …) and mke2fs: formats a device',
  },
  {
    id: '00000000-0000-7000-8000-0000000000a3', name: 'dd to a disk', action: 'block',
    pattern: String.raw`\bdd\b[^;&|]*\bof=["']?${DISK}`,
    description: 'dd writing to a whole disk or partition (/dev/sd*, hd*, vd*, xvd*, nvme*, mmcblk*)',
  },
  {
    id: '00000000-0000-7000-8000-0000000000a4', name: 'fork bomb', action: 'block',
    // The name is taken whole (a lookahead capture cannot be backtracked into), so long words cost linear time.
    pattern: String.raw`(?<![\w:])(?=([\w:]+))\1\s*\(\s*\)\s*\{\s*\1\s*\|\s*\1\s*&\s*\}`,
    description: 'a function that pipes itself into itself in the background, such as :(){ :|:& };:',
  },
  {
    id: '00000000-0000-7000-8000-0000000000a5', name: 'write to a disk device', action: 'block',
    pattern: String.raw`>\s*["']?${DISK}`,
    description: 'output redirected onto a disk device (> /dev/sda): overwrites the partition table and data',
  },
  {
    id: '00000000-0000-7000-8000-0000000000a6', name: 'shutdown or reboot', action: 'approve',
    pattern: String.raw`${CMD_START}(?:\/(?:usr\/)?s?bin\/)?(?:shutdown|reboot|halt|poweroff)(?:\.target)?(?![\w.-])|${CMD_START}(?:tel)?init\s+[06](?![\w.])`,
    description: 'shutdown, reboot, halt, poweroff (also through systemctl) and init 0 / init 6: takes the host down',
  },
  {
    id: '00000000-0000-7000-8000-0000000000a7', name: 'chmod -R on /', action: 'approve',
    pattern: String.raw`\bchmod\s+${ARGS}(?:-[a-zA-Z]*R[a-zA-Z]*|--recursive)\s+${ARGS}${ROOT_ARG}`,
    description: 'a recursive chmod of / (chmod -R 777 /): breaks sudo, ssh and every service\'s permissions',
  },
];

/**
 * The lines a rule is tried on: a line continued with a trailing backslash is
 * joined to the next (and reported under its first line number); lines that
 * are only a comment (`#`, which also covers `#!` and Python) are skipped.
 */
export function guardLines(content: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const raw = content.split(/\r?\n/);
  for (let i = 0; i < raw.length; i++) {
    const start = i;
    let text = raw[i] ?? '';
    while (text.endsWith('\\') && i + 1 < raw.length) text = `${text.slice(0, -1)} ${raw[++i] ?? ''}`;
    const trimmed = text.trim();
    if (trimmed && !trimmed.startsWith('#')) out.push({ line: start + 1, text: trimmed });
  }
  return out;
}

/** Repeat `unit` to about 10 KB and end it with a character no rule expects, so a match must fail after trying hard. */
const probe = (unit: string): string => `${unit.repeat(Math.ceil(PROBE_BYTES / unit.length))}\u0001`;

/** Probe strings for a pattern: common characters, and its own literal characters and runs of them. */
function probesFor(pattern: string): string[] {
  const literalRuns = pattern.split(/\\.|[\^$.|?*+()[\]{}]/).filter((s) => s.length > 1).slice(0, 4);
  const literalChars = [...new Set(pattern.replace(/\\./g, '').replace(/[\^$.|?*+()[\]{}]/g, ''))].slice(0, 8);
  return [...new Set(['a', ' ', '0', '/', '-', '.', ...literalChars, ...literalRuns])].map(probe);
}

/**
 * The dangerous-command guard: rules run in a separate V8 context with a
 * deadline, so a rule that backtracks catastrophically stops instead of
 * freezing the server (V8 can interrupt a running regular expression).
 */
export function createCommandGuard() {
  const sandbox: { pattern: string; lines: string[] } = { pattern: '', lines: [] };
  const context = createContext(sandbox);
  const matcher = new Script(`(() => {
    const re = new RegExp(pattern);
    const hits = [];
    for (let i = 0; i < lines.length; i++) if (re.test(lines[i])) hits.push(i);
    return hits;
  })()`);

  /** Indexes of the lines the pattern matches, or `timeout`. */
  function run(pattern: string, lines: string[], timeout: number): number[] | 'timeout' {
    sandbox.pattern = pattern;
    sandbox.lines = lines;
    try {
      return Array.from(matcher.runInContext(context, { timeout }) as ArrayLike<number>);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') return 'timeout';
      throw err;
    } finally {
      sandbox.lines = [];
    }
  }

  return {
    /** What the rules say of a script: block if a blocking rule matches, approve if one needing approval does, else allow. */
    verdict(rules: GuardRule[], content: string): GuardVerdict {
      const lines = guardLines(content);
      const texts = lines.map((l) => l.text);
      const matches: GuardVerdict['matches'] = [];
      for (const rule of rules) {
        const hits = run(rule.pattern, texts, RULE_DEADLINE_MS);
        const found = hits === 'timeout'
          ? [{ line: 0, text: `the rule ran out of time on this script (${RULE_DEADLINE_MS} ms) and counts as matching` }]
          : hits.map((i) => ({ line: lines[i]?.line ?? 0, text: (texts[i] ?? '').slice(0, MAX_TEXT) }));
        for (const f of found) matches.push({ ruleId: rule.id, name: rule.name, action: rule.action, ...f });
      }
      matches.sort((a, b) => a.line - b.line);
      const action = matches.some((m) => m.action === 'block') ? 'block' : matches.length ? 'approve' : 'allow';
      return { action, matches: matches.slice(0, MAX_MATCHES) };
    },

    /**
     * Why a pattern is too slow to keep, or null: it must reject each 10 KB
     * adversarial line within 250 ms. A heuristic — it catches the usual
     * nested-quantifier blow-ups, not every one; the deadline at match time
     * covers the rest.
     */
    tooSlow(pattern: string): string | null {
      for (const line of probesFor(pattern)) {
        if (run(pattern, [line], PROBE_DEADLINE_MS) === 'timeout') {
          return `backtracks too long: took over ${PROBE_DEADLINE_MS} ms on a 10 KB line of ${JSON.stringify(line.slice(0, 8))}…; avoid nested quantifiers such as (a+)+`;
        }
      }
      return null;
    },
  };
}

export type CommandGuard = ReturnType<typeof createCommandGuard>;
