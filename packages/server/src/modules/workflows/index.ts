import type { FastifyInstance } from 'fastify';
import type { PlatformServices } from '../../platform/services.js';
import type { JobsModule } from '../jobs/index.js';
import { WORKFLOW_ORIGIN, WorkflowDriver } from './workflow-driver.js';
import { workflowRoutes } from './workflows.routes.js';
import { workflowsRepo } from './workflows.repo.js';
import { createWorkflowService } from './workflows.service.js';

/**
 * Workflows: DAGs of typed steps (job templates, inline scripts, HTTP
 * requests, waits, approvals, conditions — the step types in step-types/).
 * A run is driven by the server that started it; at start-up a server with
 * embedded storage takes up the runs left open.
 */
export function registerWorkflowsModule(app: FastifyInstance, platform: PlatformServices, jobs: JobsModule): void {
  const drivers = new Map<string, WorkflowDriver>();
  const poke = (runId: string): void => {
    let d = drivers.get(runId);
    if (!d) {
      const driver = new WorkflowDriver(runId, { platform, jobs, onEnd: (id) => drivers.get(id) === driver && drivers.delete(id) });
      drivers.set(runId, driver);
      d = driver;
    }
    d.kick();
  };
  const workflows = createWorkflowService({ platform, poke });
  workflowRoutes(app, platform, workflows);
  // Schedules (in the job center) run workflows through this.
  jobs.useWorkflows({
    name: async (id) => (await workflowsRepo.byId(platform.db, id))?.name,
    start: async (id, userId, actorName) =>
      (await platform.mutations(
        { action: 'workflow.run.start', origin: { ...WORKFLOW_ORIGIN, actorId: userId, actorName }, draft: { targetType: 'workflow_run', targetId: null, before: null, after: null } },
        (ctx) => workflows.start(ctx, id, userId),
      )).id,
    isOpen: async (runId) => ['running', 'waiting'].includes((await workflowsRepo.runById(platform.db, runId))?.status ?? ''),
  });
  app.addHook('onReady', async () => {
    if (platform.dbKind !== 'pglite') return;
    for (const { id } of await workflowsRepo.openRuns(platform.db)) poke(id);
  });
  app.addHook('preClose', () => {
    for (const d of drivers.values()) d.stop();
    drivers.clear();
  });
}
