import type { StepState, WorkflowRunState } from '@opsline/contracts';
import type { AuditOrigin } from '../../platform/audit/audit.service.js';
import type { PlatformServices } from '../../platform/services.js';
import type { JobsModule } from '../jobs/index.js';
import { stepTypes } from './step-types/index.js';
import type { StepResult } from './step-types/types.js';
import { workflowsRepo, type WorkflowRunRow } from './workflows.repo.js';
import type { StepRunState } from './workflows.tables.js';

const FINAL: StepState[] = ['success', 'failed', 'skipped', 'rejected'];
export const WORKFLOW_ORIGIN: AuditOrigin = { actorId: null, actorName: 'system', sourceIp: '127.0.0.1', userAgent: null, method: 'WORKFLOW', path: 'workflows.driver' };

/** The run's state from its steps: rejected, failed (a failure no condition looked at), waiting, running, or success. */
export function runStatus(run: Pick<WorkflowRunRow, 'steps' | 'state'>): WorkflowRunState {
  const states = run.steps.map((s) => run.state[s.key]?.status ?? 'pending');
  if (states.includes('rejected')) return 'rejected';
  const open = states.some((s) => !FINAL.includes(s));
  if (!open) {
    const handled = new Set(run.steps.filter((s) => s.type === 'condition').map((s) => String(s.params.step)));
    return run.steps.some((s) => run.state[s.key]?.status === 'failed' && !handled.has(s.key)) ? 'failed' : 'success';
  }
  return states.includes('waiting') && !states.includes('running') ? 'waiting' : 'running';
}

/**
 * Drives one workflow run: starts each step once all it needs have ended
 * (skipping it when one did not succeed, unless its type looks at failures),
 * records what each step did, and ends the run. Steps run at once when
 * nothing orders them. Serialized: a step's end and a person's answer are
 * applied one at a time.
 */
export class WorkflowDriver {
  private chain: Promise<void> = Promise.resolve();
  private readonly running = new Set<string>();
  private readonly abort = new AbortController();
  private ended = false;

  constructor(
    readonly runId: string,
    private readonly deps: { platform: PlatformServices; jobs: JobsModule; onEnd(runId: string): void },
  ) {}

  kick(): void {
    if (this.ended) return;
    this.chain = this.chain.then(() => this.step()).catch((err: unknown) => this.deps.platform.log.error({ err, runId: this.runId }, 'workflow step failed'));
  }

  stop(): void {
    this.ended = true;
    this.abort.abort();
  }

  private async save(run: WorkflowRunRow, keys: string[]): Promise<void> {
    await workflowsRepo.saveSteps(this.deps.platform.db, run.id, Object.fromEntries(keys.map((k) => [k, run.state[k]])), runStatus(run));
  }

  private async step(): Promise<void> {
    const { db } = this.deps.platform;
    const run = await workflowsRepo.runById(db, this.runId);
    if (!run) return this.leave();
    const now = this.deps.platform.clock.now().toISOString();
    const changed: string[] = [];
    for (const s of run.steps) {
      const st = run.state[s.key] as StepRunState;
      // After a restart a step may be `running` with no task here: it carries on from what it noted.
      if (st.status === 'running' && !this.running.has(s.key)) this.launch(run, s.key);
      if (st.status !== 'pending') continue;
      const needs = s.needs.map((n) => run.state[n]?.status ?? 'pending');
      if (needs.some((n) => !FINAL.includes(n))) continue;
      const type = stepTypes.get(s.type);
      const blocked = s.needs.find((n) => run.state[n]?.status !== 'success');
      if (!type || (blocked && !type.runsAfterFailure)) {
        run.state[s.key] = { ...st, status: 'skipped', error: type ? `skipped: ${blocked ?? ''} did not succeed` : `no step type ${s.type} installed`, finishedAt: now };
        changed.push(s.key);
        continue;
      }
      run.state[s.key] = { ...st, status: 'running', attempt: st.attempt + 1, startedAt: now, finishedAt: null, error: null, output: null };
      changed.push(s.key);
    }
    const status = runStatus(run);
    if (changed.length || status !== run.status) await this.save(run, changed);
    // Launched once their state is saved: a step's first note lands on its running state.
    for (const key of changed) if (run.state[key]?.status === 'running') this.launch(run, key);
    if (status === 'success' || status === 'failed' || status === 'rejected') await this.finish(run, status);
  }

  /** Runs a step in the background; its result is applied by a later step() (serialized). */
  private launch(run: WorkflowRunRow, key: string): void {
    const s = run.steps.find((x) => x.key === key);
    const type = s && stepTypes.get(s.type);
    if (!s || !type) return;
    this.running.add(key);
    const { platform, jobs } = this.deps;
    const outcomes = Object.fromEntries(Object.entries(run.state).map(([k, v]) => [k, { status: v.status, output: v.output }]));
    const ctx = {
      runId: run.id, stepKey: key, userId: run.createdBy ?? '', userName: run.createdBy ?? 'someone', outcomes, previous: run.state[key]?.output ?? null, jobs, log: platform.log,
      signal: this.abort.signal,
      note: async (output: Record<string, unknown>) => workflowsRepo.noteStep(platform.db, run.id, key, output),
    };
    const settle = (result: StepResult): void => {
      this.chain = this.chain
        .then(() => this.apply(key, result))
        .catch((err: unknown) => platform.log.error({ err, runId: run.id, step: key }, 'could not record a workflow step'))
        .finally(() => this.running.delete(key));
      this.kick();
    };
    type.run(ctx, s.params).then(settle, (err: unknown) => {
      if (this.abort.signal.aborted) return;
      settle({ status: 'failed', error: err instanceof Error ? err.message : String(err) });
    });
  }

  private async apply(key: string, result: StepResult): Promise<void> {
    const run = await workflowsRepo.runById(this.deps.platform.db, this.runId);
    const st = run?.state[key];
    if (!run || st?.status !== 'running') return;
    run.state[key] = {
      ...st, status: result.status, output: { ...(st.output ?? {}), ...(result.output ?? {}) }, error: 'error' in result ? (result.error ?? null) : null,
      finishedAt: result.status === 'waiting' ? null : this.deps.platform.clock.now().toISOString(),
    };
    await this.save(run, [key]);
  }

  private async finish(run: WorkflowRunRow, status: WorkflowRunState): Promise<void> {
    const { platform } = this.deps;
    await platform.mutations({ action: 'workflow.run.finish', origin: WORKFLOW_ORIGIN, draft: { targetType: 'workflow_run', targetId: run.id, before: null, after: { status } } }, async (ctx) => {
      await workflowsRepo.updateRun(ctx.tx, run.id, { status, finishedAt: platform.clock.now() });
      await ctx.emit('workflow.run.finished', { runId: run.id, name: run.name, status }, {
        summary: `workflow ${run.name} ${status}`, severity: status === 'success' ? 'info' : 'warning', resourceType: 'workflow_run', resourceId: run.id,
      });
    });
    this.leave();
  }

  private leave(): void {
    this.ended = true;
    this.deps.onEnd(this.runId);
  }
}
