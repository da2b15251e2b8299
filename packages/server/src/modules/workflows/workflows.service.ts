import type {
  Page, StepRunView, UpdateWorkflowBody, WorkflowBody, WorkflowRunListQuery, WorkflowRunState, WorkflowRunView, WorkflowView,
} from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { runStatus } from './workflow-driver.js';
import { validateSteps } from './validate.js';
import { workflowsRepo, type WorkflowRow, type WorkflowRunRow } from './workflows.repo.js';
import type { StepRunState } from './workflows.tables.js';

const fresh = (): StepRunState => ({ status: 'pending', output: null, error: null, attempt: 0, startedAt: null, finishedAt: null });

export function createWorkflowService(deps: { platform: PlatformServices; poke(runId: string): void }) {
  const { platform } = deps;
  const { db, clock } = platform;

  const view = (w: WorkflowRow): WorkflowView => ({
    id: w.id, name: w.name, description: w.description, steps: w.steps, createdBy: w.createdBy, createdAt: w.createdAt.toISOString(), updatedAt: w.updatedAt.toISOString(),
  });
  const runView = (r: WorkflowRunRow): WorkflowRunView => ({
    id: r.id, workflowId: r.workflowId, name: r.name, status: r.status as WorkflowRunState, createdBy: r.createdBy, createdAt: r.createdAt.toISOString(),
    finishedAt: r.finishedAt?.toISOString() ?? null,
    steps: r.steps.map((s): StepRunView => {
      const st = r.state[s.key] ?? fresh();
      return { key: s.key, name: s.name, type: s.type, ...st };
    }),
  });
  async function byId(id: string, tx = db): Promise<WorkflowRow> {
    const w = await workflowsRepo.byId(tx, id);
    if (!w) throw new AppError('WORKFLOW_NOT_FOUND');
    return w;
  }
  async function runById(id: string, tx = db): Promise<WorkflowRunRow> {
    const r = await workflowsRepo.runById(tx, id);
    if (!r) throw new AppError('WORKFLOW_RUN_NOT_FOUND');
    return r;
  }

  return {
    async list(q: { limit: number; cursor?: string | undefined }): Promise<Page<WorkflowView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await workflowsRepo.list(db, after, q.limit + 1), q.limit, view, (w) => w.id);
    },
    get: async (id: string) => view(await byId(id)),
    async create(ctx: MutationContext, body: WorkflowBody, userId: string): Promise<WorkflowView> {
      const now = clock.now();
      const row: WorkflowRow = { id: uuidv7(now.getTime()), name: body.name, description: body.description ?? '', steps: validateSteps(body.steps), createdBy: userId, createdAt: now, updatedAt: now };
      await workflowsRepo.insert(ctx.tx, row);
      Object.assign(ctx.audit, { targetType: 'workflow', targetId: row.id, after: row });
      await ctx.emit('workflow.created', { workflowId: row.id, name: row.name }, { summary: `workflow ${row.name} created`, resourceType: 'workflow', resourceId: row.id });
      return view(row);
    },
    async update(ctx: MutationContext, id: string, body: UpdateWorkflowBody): Promise<WorkflowView> {
      const before = await byId(id, ctx.tx);
      const after: WorkflowRow = {
        ...before, ...(body.name !== undefined && { name: body.name }), ...(body.description !== undefined && { description: body.description }),
        ...(body.steps && { steps: validateSteps(body.steps) }), updatedAt: clock.now(),
      };
      await workflowsRepo.update(ctx.tx, id, after);
      Object.assign(ctx.audit, { targetType: 'workflow', targetId: id, before, after });
      await ctx.emit('workflow.updated', { workflowId: id, name: after.name, changed: Object.keys(body) }, { summary: `workflow ${after.name} changed`, resourceType: 'workflow', resourceId: id });
      return view(after);
    },
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const w = await byId(id, ctx.tx);
      await workflowsRepo.remove(ctx.tx, id);
      Object.assign(ctx.audit, { targetType: 'workflow', targetId: id, before: w });
      await ctx.emit('workflow.deleted', { workflowId: id, name: w.name }, { summary: `workflow ${w.name} deleted`, resourceType: 'workflow', resourceId: id });
    },

    /** Starts a run of the workflow (its steps as they are now); the driver takes it after commit. */
    async start(ctx: MutationContext, workflowId: string, userId: string): Promise<WorkflowRunView> {
      const w = await byId(workflowId, ctx.tx);
      const now = clock.now();
      const row: WorkflowRunRow = {
        id: uuidv7(now.getTime()), workflowId, name: w.name, status: 'running', steps: w.steps, state: Object.fromEntries(w.steps.map((s) => [s.key, fresh()])),
        createdBy: userId, createdAt: now, finishedAt: null,
      };
      await workflowsRepo.insertRun(ctx.tx, row);
      Object.assign(ctx.audit, { targetType: 'workflow_run', targetId: row.id, after: { workflowId, name: w.name } });
      await ctx.emit('workflow.run.started', { runId: row.id, name: w.name }, { summary: `workflow ${w.name} started`, resourceType: 'workflow_run', resourceId: row.id });
      ctx.afterCommit(() => deps.poke(row.id));
      return runView(row);
    },
    getRun: async (id: string) => runView(await runById(id)),
    async listRuns(q: WorkflowRunListQuery): Promise<Page<WorkflowRunView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await workflowsRepo.listRuns(db, { workflowId: q.workflowId, status: q.status }, after, q.limit + 1), q.limit, runView, (r) => r.id);
    },

    /** An approver's answer to a waiting approval step. */
    async answer(ctx: MutationContext, runId: string, key: string, decision: 'approve' | 'reject', by: { id: string; name: string; allowedByRole: boolean }, comment: string): Promise<WorkflowRunView> {
      const run = await runById(runId, ctx.tx);
      const st = run.state[key];
      const step = run.steps.find((s) => s.key === key);
      if (!st || !step || step.type !== 'approval' || st.status !== 'waiting') {
        throw new AppError('WORKFLOW_RUN_STATE', `Step ${key} is not waiting for an approval (it is ${st?.status ?? 'not in this run'})`);
      }
      const approvers = (step.params.approvers as string[] | undefined) ?? [];
      if (approvers.length ? !approvers.includes(by.id) : !by.allowedByRole) throw new AppError('WORKFLOW_NOT_APPROVER');
      const status = decision === 'approve' ? 'success' : 'rejected';
      run.state[key] = { ...st, status, output: { ...(st.output ?? {}), decision, by: by.name, comment }, finishedAt: clock.now().toISOString() };
      if (status === 'rejected') {
        for (const s of run.steps) {
          const other = run.state[s.key];
          if (other?.status === 'pending') run.state[s.key] = { ...other, status: 'skipped', error: `skipped: ${key} was rejected` };
        }
      }
      await workflowsRepo.updateRun(ctx.tx, runId, { state: run.state, status: runStatus(run) });
      Object.assign(ctx.audit, { targetType: 'workflow_run', targetId: runId, after: { step: key, decision, comment } });
      await ctx.emit('workflow.run.step', { runId, name: run.name, step: key, status, by: by.name }, {
        summary: `workflow ${run.name}: ${step.name} ${decision === 'approve' ? 'approved' : 'rejected'} by ${by.name}${comment ? `: ${comment}` : ''}`, resourceType: 'workflow_run', resourceId: runId,
      });
      ctx.afterCommit(() => deps.poke(runId));
      return runView({ ...run, status: runStatus(run) });
    },

    /** Runs the failed steps again, and those skipped because of them; what succeeded stays. */
    async resume(ctx: MutationContext, runId: string, by: string): Promise<WorkflowRunView> {
      const run = await runById(runId, ctx.tx);
      if (run.status !== 'failed') throw new AppError('WORKFLOW_RUN_STATE', `Only a failed run resumes; this one is ${run.status}`);
      const again: string[] = [];
      /** Where it goes on from: the failed steps (the skipped ones after them run again too). */
      const from: string[] = [];
      for (const s of run.steps) {
        const st = run.state[s.key] as StepRunState;
        if (st.status === 'failed' || (st.status === 'skipped' && st.error?.includes('did not succeed'))) {
          run.state[s.key] = { ...fresh(), attempt: st.attempt };
          again.push(s.key);
          if (st.status === 'failed') from.push(s.key);
        }
      }
      await workflowsRepo.updateRun(ctx.tx, runId, { state: run.state, status: 'running', finishedAt: null });
      Object.assign(ctx.audit, { targetType: 'workflow_run', targetId: runId, after: { steps: again } });
      await ctx.emit('workflow.run.resumed', { runId, name: run.name, steps: from }, { summary: `workflow ${run.name} resumed from ${from.join(', ')} by ${by}`, resourceType: 'workflow_run', resourceId: runId });
      ctx.afterCommit(() => deps.poke(runId));
      return runView({ ...run, status: 'running', finishedAt: null });
    },
  };
}

export type WorkflowService = ReturnType<typeof createWorkflowService>;
