import type { FastifyInstance } from 'fastify';
import { JOB_RUN_FINAL, StartJobRunBody, type JobRunView } from '@opsline/contracts';
import { SYSTEM_ORIGIN } from './run-driver.js';
import type { PlatformServices } from '../../platform/services.js';
import type { AgentsModule } from '../agents/index.js';
import type { ScriptsModule } from '../scripts/index.js';
import type { TreeModule } from '../tree/index.js';
import { jobAlertRoutes } from './alerts.routes.js';
import { createJobAlertService } from './alerts.service.js';
import { jobDashboard } from './dashboard.js';
import { jobRoutes } from './jobs.routes.js';
import { createRunManager } from './run-manager.js';
import { createRunService } from './runs.service.js';
import { createTemplateService } from './templates.service.js';
import { scheduleRoutes } from './schedules.routes.js';
import { createScheduleService, type WorkflowPort } from './schedules.service.js';

/** How often runs going on too long are looked for. */
const DURATION_CHECK_MS = 15_000;
/** How often due schedules are looked for. */
const SCHEDULE_TICK_MS = 1_000;

/** What other modules (workflows, schedules) use of the job center. */
export interface JobsModule {
  /** Runs driven by this server now. */
  driving(runId: string): boolean;
  /** Fires the schedules due at the platform clock's now (the loop does every second; tests call it). */
  tickSchedules(): Promise<void>;
  /** Starts a run as `userId` (checked like POST /job-runs), audited under `actorName`. */
  start(body: StartJobRunBody, userId: string, actorName: string): Promise<JobRunView>;
  /** Resolves with the run once it has ended. */
  ended(runId: string): Promise<JobRunView>;
  /** Sends alerts for runs going on too long (a loop does every 15 s; tests call it). */
  checkLongRuns(): Promise<void>;
  /** The workflows module plugs in what schedules need to run workflows. */
  useWorkflows(port: WorkflowPort): void;
  /** The parameters a template's script declares (self-healing passes only those); undefined when there is no such template. */
  templateParamNames(templateId: string): Promise<string[] | undefined>;
}
export type { WorkflowPort };

export function registerJobsModule(app: FastifyInstance, platform: PlatformServices, deps: { tree: TreeModule; scripts: ScriptsModule; agents: AgentsModule }): JobsModule {
  const manager = createRunManager({ platform, exec: deps.agents.exec });
  const templates = createTemplateService({ platform, scripts: deps.scripts });
  const runs = createRunService({ platform, tree: deps.tree, scripts: deps.scripts, agents: deps.agents, manager });
  jobRoutes(app, templates, runs, manager, async (tz) => jobDashboard(platform.db, platform.clock.now(), tz, await deps.agents.counts()));
  const alerts = createJobAlertService({ platform });
  jobAlertRoutes(app, alerts);
  let workflowPort: WorkflowPort | undefined;
  const schedules = createScheduleService({ platform, runs, workflows: () => workflowPort });
  scheduleRoutes(app, platform, schedules);
  let ticking: NodeJS.Timeout | undefined;
  let durations: NodeJS.Timeout | undefined;
  // Ticks run one after another; the loop skips a beat while one is still going, an explicit call waits its turn.
  let chain: Promise<void> = Promise.resolve();
  let busy = false;
  const tick = (): Promise<void> => (chain = chain.then(() => schedules.tick()).catch((err: unknown) => platform.log.error({ err }, 'schedule tick failed')));

  // Runs changed on another server (or here): the driver looks again; a kill reaches the tasks each server's agents run.
  platform.bus.subscribe((e) => {
    if (!e.type.startsWith('job.run.') || !e.resourceId) return;
    if (e.type === 'job.run.killed') void manager.killTasksHere(e.resourceId, e.actorName ?? 'someone').catch((err: unknown) => platform.log.warn({ err }, 'could not kill a run\'s tasks'));
    if (e.type === 'job.run.finished') void alerts.runFinished(e.resourceId).catch((err: unknown) => platform.log.warn({ err }, 'could not send job alerts'));
    if (e.type !== 'job.run.finished' && e.type !== 'job.run.started') manager.poke(e.resourceId);
  });
  app.addHook('onReady', () => {
    manager.start();
    ticking = setInterval(() => {
      if (busy) return;
      busy = true;
      void tick().finally(() => (busy = false));
    }, SCHEDULE_TICK_MS);
    durations = setInterval(() => void alerts.checkDurations().catch((err: unknown) => platform.log.warn({ err }, 'could not check long runs')), DURATION_CHECK_MS);
    durations.unref();
    ticking.unref();
  });
  app.addHook('preClose', () => {
    clearInterval(ticking);
    clearInterval(durations);
    manager.stop();
  });
  return {
    driving: manager.driving,
    tickSchedules: tick,
    checkLongRuns: () => alerts.checkDurations(),
    useWorkflows: (port) => (workflowPort = port),
    async templateParamNames(templateId) {
      const t = await templates.get(templateId).catch(() => undefined);
      if (!t) return undefined;
      return (await deps.scripts.version(t.scriptId, t.scriptVersion ?? undefined))?.params.map((p) => p.name) ?? [];
    },
    async start(body, userId, actorName) {
      // Callers build bodies in code: defaults filled in as the route's validation would.
      const plan = await runs.plan(StartJobRunBody.parse(body), userId);
      return platform.mutations(
        { action: 'job.run.start', origin: { ...SYSTEM_ORIGIN, actorId: userId, actorName }, draft: { targetType: 'job_run', targetId: null, before: null, after: null } },
        (ctx) => runs.start(ctx, plan, userId),
      );
    },
    ended(runId) {
      return new Promise<JobRunView>((resolve, reject) => {
        const check = (): void => {
          runs.get(runId).then((r) => {
            if (!JOB_RUN_FINAL.includes(r.status)) return;
            unwatch();
            clearInterval(every);
            resolve(r);
          }, (err: unknown) => {
            unwatch();
            clearInterval(every);
            reject(err instanceof Error ? err : new Error(String(err)));
          });
        };
        const unwatch = manager.watch(runId, check);
        // Its driver may be on another server: look now and then too.
        const every = setInterval(check, 2_000);
        every.unref();
        check();
      });
    },
  };
}
