/**
 * The agent's logger: the subset of pino's interface the agent uses, so a
 * host program can pass its own pino instance. The default writes JSON lines
 * to stderr (stdout stays free for whoever embeds the agent).
 */
export interface LogFn {
  (msg: string): void;
  (obj: object, msg?: string): void;
}

export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const LEVELS: Record<Exclude<LogLevel, 'silent'>, number> = { debug: 20, info: 30, warn: 40, error: 50 };

/**
 * Field names never written, whoever passes them: the enrollment token and
 * the agent's secret must not reach a log file (defence in depth; the agent
 * itself never logs them).
 */
const SECRET_KEYS = new Set(['token', 'enrollmentToken', 'enrollment_token', 'agentSecret', 'agent_secret', 'secret', 'password']);

export function createJsonLogger(
  options: { level?: LogLevel; bindings?: Record<string, unknown>; write?: (line: string) => void } = {},
): Logger {
  const threshold = options.level === 'silent' ? Infinity : LEVELS[options.level ?? 'info'];
  const bindings = options.bindings ?? {};
  const write = options.write ?? ((line: string) => process.stderr.write(line));
  const at =
    (level: keyof typeof LEVELS): LogFn =>
    (objOrMsg: object | string, msg?: string) => {
      if (LEVELS[level] < threshold) return;
      const fields = typeof objOrMsg === 'string' ? {} : objOrMsg;
      const text = typeof objOrMsg === 'string' ? objOrMsg : msg;
      const entry: Record<string, unknown> = { level: LEVELS[level], time: Date.now(), ...bindings };
      for (const [k, v] of Object.entries(fields)) if (!SECRET_KEYS.has(k)) entry[k] = v instanceof Error ? { message: v.message } : v;
      if (text !== undefined) entry.msg = text;
      let line: string;
      try {
        line = JSON.stringify(entry);
      } catch {
        // A field that cannot be serialised (a cycle, a BigInt) must not take the agent down with it.
        line = JSON.stringify({ level: entry.level, time: entry.time, msg: text, logError: 'unserialisable fields dropped' });
      }
      write(`${line}\n`);
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => createJsonLogger({ ...options, bindings: { ...bindings, ...more } }),
  };
}

/** A logger that drops everything (tests, embedding without logs). */
export const silentLogger: Logger = createJsonLogger({ level: 'silent' });
