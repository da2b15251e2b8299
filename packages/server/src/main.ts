import { ConfigError, loadConfig, parseFlags, type Config } from './config.js';
import { buildApp } from './app.js';
import { bootstrapPlatform } from './platform/bootstrap.js';
import { openDatabase, pgliteDirFor } from './platform/db/db.js';
import { VERSION } from './version.js';

const HELP = `opsline ${VERSION}

Usage: opsline <command> [--flag value ...]

Commands:
  serve     run the server (console + API), the default
  migrate   apply database migrations and exit
  agent     run the host agent ('opsline agent --help' for its flags)
  version   print the version
  help      this text

Every setting is an environment variable and a flag of the same name:
  --host --port --grpc-port --data-dir --admin-password --secret-key
  --database-url --log-level --trust-proxy (or --OPSLINE_PORT=8080 …)
See the README's configuration table.`;

const SHUTDOWN_GRACE_MS = 10_000;

async function serve(config: Config): Promise<void> {
  const app = await buildApp(config);
  const boot = await bootstrapPlatform(app.platform);
  await app.listen({ host: config.host, port: config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  const grpcPort = await app.agents.listen(config.host, config.grpcPort);
  app.platform.scheduler.start();
  await app.platform.announce('system.started', { version: VERSION, db: app.platform.dbKind }, {
    summary: `Opsline ${VERSION} started on ${app.platform.dbKind}`,
  });
  // Printed, not logged: the first administrator's password appears once, on this terminal only.
  const lines = [`Opsline ${VERSION} is running: ${url}`, `  agents connect to: ${config.grpcTls ? 'grpcs' : 'grpc'}://${config.host.includes(':') ? `[${config.host}]` : config.host}:${grpcPort}`, `  database: ${app.platform.dbKind}${app.platform.dbKind === 'pglite' ? ` (${pgliteDirFor(config.dataDir)})` : ''}`];
  if (boot.adminCreated) {
    lines.push(boot.generatedPassword
      ? `  first start: sign in as "admin" with the password ${boot.generatedPassword}  (shown once; change it under Profile)`
      : '  first start: sign in as "admin" with the password from OPSLINE_ADMIN_PASSWORD');
  }
  process.stdout.write(`${lines.join('\n')}\n`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

async function migrate(config: Config): Promise<void> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: pgliteDirFor(config.dataDir) });
  try {
    await database.migrate();
    process.stdout.write(`migrations applied (${database.kind})\n`);
  } finally {
    await database.close();
  }
}

async function main(argv: string[]): Promise<number> {
  // `opsline agent …`: the host agent, with its own flags (the same as `opsline-agent`).
  if (argv[0] === 'agent') {
    const { runAgentCli } = await import('@opsline/agent');
    return runAgentCli(argv.slice(1));
  }
  const { values, rest, problems } = parseFlags(argv);
  const command = rest[0] ?? 'serve';
  if (command === 'help' || argv.includes('--help')) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (command === 'version') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  let config: Config;
  try {
    if (problems.length) throw new ConfigError(problems);
    config = loadConfig(process.env, values);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`opsline: ${err.message}\n`);
    return 2;
  }
  switch (command) {
    case 'serve':
      await serve(config);
      return -1;
    case 'migrate':
      await migrate(config);
      return 0;
    default:
      process.stderr.write(`opsline: unknown command "${command}"\n\n${HELP}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`opsline: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
