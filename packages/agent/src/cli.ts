import { parseArgs } from 'node:util';
import { createAgent, type Agent, type AgentExit } from './agent.js';
import { AgentConfigError, DEFAULT_STATE_DIR, type AgentOptions } from './config.js';
import { createJsonLogger, type LogLevel } from './logger.js';
import { AGENT_VERSION } from './version.js';

export const USAGE = `usage: opsline-agent --server grpc://HOST:PORT [--token TOKEN] [options]

  --server URL        the Opsline server: grpc://host:port, or grpcs://host:port for TLS
  --token TOKEN       enrollment token (needed only the first time)
  --state-dir DIR     identity and task state (default ${DEFAULT_STATE_DIR})
  --hostname NAME     report this hostname; also derives the machine identity from it
  --max-tasks N       tasks run at once (default 16)
  --ca-file FILE      TLS: trust this PEM CA bundle (pins the server's CA)
  --server-name NAME  TLS: the name the server certificate carries
  --log-level LEVEL   debug, info, warn or error (default info)
  --version, --help`;

/**
 * Exit codes, so a service manager can tell "try again" from "give up"
 * (a systemd unit should set RestartPreventExitStatus=2 3 4).
 */
export const EXIT = { ok: 0, failed: 1, usage: 2, enrollRefused: 3, identityRefused: 4 } as const;

/** Flags by the option they set, to name the flag in errors. */
const FLAG_OF: Record<string, string> = {
  server: '--server',
  enrollmentToken: '--token',
  stateDir: '--state-dir',
  hostname: '--hostname',
  maxTasks: '--max-tasks',
  caFile: '--ca-file',
  serverName: '--server-name',
};

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const defaultIo: CliIo = { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) };

/** Parses the flags; a string is the error to print (exit 2). */
export function parseAgentArgs(argv: string[]): { options: AgentOptions; logLevel: LogLevel } | { help: true } | { version: true } | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        server: { type: 'string' },
        token: { type: 'string' },
        'state-dir': { type: 'string' },
        hostname: { type: 'string' },
        'max-tasks': { type: 'string' },
        'ca-file': { type: 'string' },
        'server-name': { type: 'string' },
        'log-level': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }));
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  if (values.help) return { help: true };
  if (values.version) return { version: true };
  if (!values.server) return '--server is required, e.g. --server grpc://127.0.0.1:9090';
  let maxTasks: number | undefined;
  if (values['max-tasks'] !== undefined) {
    maxTasks = Number(values['max-tasks']);
    if (!/^\d+$/.test(values['max-tasks']) || maxTasks < 1) return `--max-tasks: expected a positive integer, got "${values['max-tasks']}"`;
  }
  const logLevel = values['log-level'] ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) return `--log-level: expected debug, info, warn or error, got "${logLevel}"`;
  return {
    logLevel: logLevel as LogLevel,
    options: {
      server: values.server,
      enrollmentToken: values.token,
      stateDir: values['state-dir'],
      hostname: values.hostname,
      maxTasks,
      caFile: values['ca-file'],
      serverName: values['server-name'],
    },
  };
}

/**
 * The `opsline-agent` command (also `opsline agent`): runs an agent until
 * SIGTERM/SIGINT or until the server refuses it. Resolves with the exit code.
 */
export async function runAgentCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const parsed = parseAgentArgs(argv);
  if (typeof parsed === 'string') {
    io.stderr(`opsline-agent: ${parsed}\n${USAGE}\n`);
    return EXIT.usage;
  }
  if ('help' in parsed) {
    io.stdout(`${USAGE}\n`);
    return EXIT.ok;
  }
  if ('version' in parsed) {
    io.stdout(`${AGENT_VERSION}\n`);
    return EXIT.ok;
  }
  let agent: Agent;
  try {
    agent = createAgent({ ...parsed.options, logger: createJsonLogger({ level: parsed.logLevel }) });
    await agent.start();
  } catch (err) {
    if (err instanceof AgentConfigError) {
      io.stderr(`opsline-agent: ${FLAG_OF[err.option] ?? err.option}: ${err.message.slice(err.option.length + 2)}\n`);
      return EXIT.usage;
    }
    io.stderr(`opsline-agent: cannot start: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.failed;
  }
  const onSignal = (signal: NodeJS.Signals) => {
    io.stderr(`opsline-agent: ${signal}: stopping (running tasks may finish first; send it again to stop at once)\n`);
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    // A second signal takes the default action: the process ends; results already on disk are sent after the next start.
    void agent.stop();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  const exit = await agent.done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return reportExit(exit, io);
}

function reportExit(exit: AgentExit, io: CliIo): number {
  switch (exit.reason) {
    case 'stopped':
      return EXIT.ok;
    case 'enroll-refused':
      io.stderr(`opsline-agent: ${exit.message} (is the token right and not expired or used up?)\n`);
      return EXIT.enrollRefused;
    case 'revoked':
    case 'identity-refused':
      io.stderr(`opsline-agent: ${exit.message}\n`);
      return EXIT.identityRefused;
    case 'failed':
      io.stderr(`opsline-agent: ${exit.message}\n`);
      return EXIT.failed;
  }
}
