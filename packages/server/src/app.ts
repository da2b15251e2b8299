import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from './config.js';
import { systemClock, type Clock } from './platform/clock.js';
import { openDatabase, pgliteDirFor, type Database } from './platform/db/db.js';
import { installErrorHandler } from './platform/errors/error-handler.js';
import { enforceRouteDeclarations, installAccessGuard } from './platform/http/access-guard.js';
import { defaultWebDir, serveConsole } from './platform/http/console.js';
import { registerOpenApi } from './platform/http/openapi.js';
import { systemRoutes } from './platform/http/system.routes.js';
import { createPlatformServices, type PlatformServices } from './platform/services.js';
import { createPgFanout } from './platform/events/fanout.js';
import { authRoutes } from './platform/auth/auth.routes.js';
import { identityRoutes } from './platform/identity/identity.routes.js';
import { rbacRoutes } from './platform/rbac/rbac.routes.js';
import { auditRoutes } from './platform/audit/audit.routes.js';
import { eventRoutes } from './platform/events/events.routes.js';
import { secretRoutes } from './platform/secrets/secrets.routes.js';
import { notifyRoutes } from './platform/notify/notify.routes.js';
import { registerTreeModule } from './modules/tree/index.js';
import { registerAgentsModule, type AgentsModule } from './modules/agents/index.js';
import { registerScriptsModule, type ScriptsModule } from './modules/scripts/index.js';
import { registerJobsModule, type JobsModule } from './modules/jobs/index.js';
import { registerWorkflowsModule } from './modules/workflows/index.js';
import { registerAlertsModule, type AlertsModule } from './modules/alerts/index.js';
import { registerIncidentsModule, type IncidentsModule } from './modules/incidents/index.js';
import { registerOncallModule, type OncallService } from './modules/oncall/index.js';
import { emptyDraft } from './platform/audit/audit.service.js';
import { auditOrigin } from './platform/http/client-address.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The platform's services, for modules and tests. */
    platform: PlatformServices;
    /** Agents and remote execution: main.ts starts its gRPC endpoint. */
    agents: AgentsModule;
    /** The script library and the dangerous-command guard: the job center reads versions and verdicts. */
    scripts: ScriptsModule;
    /** The job center: templates and runs under full control. */
    jobs: JobsModule;
    /** Alert ingest: integrations, alerts, silences; `onAlerts` tells subscribers of committed alert changes. */
    alerts: AlertsModule;
    /** Incidents: alert groups become incidents that page on-call. */
    incidents: IncidentsModule;
    /** On-call: schedules, escalation policies, routing rules and users' notification rules; incidents page through it. */
    oncall: OncallService;
  }
}

/** Bodies up to 2 MiB reach validation, so an over-long field gets a 400 naming it rather than a bare 413. */
const BODY_LIMIT = 2 * 1024 * 1024;

export interface BuildOptions {
  clock?: Clock;
  /** Where log lines go (default stdout); tests capture them to prove no secret is logged. */
  logStream?: { write(line: string): void };
  /** An already-open database (tests reuse one per worker); otherwise opened from the config. */
  database?: Database;
}

/** The whole server as a Fastify instance that never listens: main.ts listens, tests call inject(). */
export async function buildApp(config: Config, opts: BuildOptions = {}): Promise<FastifyInstance> {
  const database = opts.database ?? (await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: pgliteDirFor(config.dataDir) }));
  if (!opts.database) await database.migrate();
  const app = Fastify({
    logger: {
      level: config.logLevel,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
      ...(opts.logStream && { stream: opts.logStream }),
    },
    bodyLimit: BODY_LIMIT,
    trustProxy: config.trustProxy,
    routerOptions: { maxParamLength: 256 },
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  const services = createPlatformServices({ config, database, clock: opts.clock ?? systemClock, log: app.log });
  app.decorate('platform', services);
  app.decorateRequest('mutate', function (this: Parameters<typeof auditOrigin>[0], fn) {
    const action = this.routeOptions.config.audit ?? 'unknown';
    this.auditDraft ??= emptyDraft();
    return services.mutations({ action, origin: auditOrigin(this), draft: this.auditDraft }, fn).then((value) => {
      this.auditDone = true;
      return value;
    });
  });

  await app.register(fastifyCookie);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        // Opsline is often reached over plain HTTP on a LAN address: forcing https would break every asset.
        upgradeInsecureRequests: null,
      },
    },
  });
  installErrorHandler(app);
  enforceRouteDeclarations(app);
  installAccessGuard(app, { credentials: services.credentials, rbac: services.rbac, audit: services.audit, db: services.db });
  await registerOpenApi(app);

  systemRoutes(app, services);
  authRoutes(app, services);
  identityRoutes(app, services);
  rbacRoutes(app, services);
  auditRoutes(app, services);
  eventRoutes(app, services);
  secretRoutes(app, services);
  notifyRoutes(app, services);
  const tree = registerTreeModule(app, services);
  const agents = registerAgentsModule(app, services, tree);
  app.decorate('agents', agents);
  const scripts = registerScriptsModule(app, services, tree);
  app.decorate('scripts', scripts);
  const jobs = registerJobsModule(app, services, { tree, scripts, agents });
  app.decorate('jobs', jobs);
  registerWorkflowsModule(app, services, jobs);
  const alerts = registerAlertsModule(app, services, tree);
  app.decorate('alerts', alerts);
  const oncall = registerOncallModule(app, services, { tree });
  app.decorate('oncall', oncall);
  const incidents = registerIncidentsModule(app, services, { tree, paging: oncall, jobs, alerts });
  app.decorate('incidents', incidents);
  await serveConsole(app, config.webDir ?? defaultWebDir());

  services.scheduler.register({
    name: 'platform.sessions.sweep',
    cron: '0 */10 * * * *',
    run: async (tx) => {
      await services.credentials.sweepExpiredSessions(tx);
      await services.loginGuard.sweep(tx);
    },
  });

  if (database.kind === 'postgres' && config.databaseUrl) {
    const fanout = await createPgFanout({
      url: config.databaseUrl,
      db: services.db,
      log: app.log,
      onEvents: (ids) => {
        services.events.byIds(ids).then(
          (found) => found.forEach((e) => services.bus.publish(e)),
          (err: unknown) => app.log.warn({ err }, 'could not load events announced by another server'),
        );
      },
      onInvalidate: () => {
        services.rbac.invalidate();
        services.credentials.forgetAll();
      },
    });
    services.setFanout(fanout);
    app.addHook('onClose', () => fanout.close());
  }

  app.addHook('onReady', () => services.notify.start());
  app.addHook('onClose', async () => {
    services.scheduler.stop();
    await services.notify.stop();
    if (!opts.database) await database.close();
  });
  return app;
}
