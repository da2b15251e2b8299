import type { JobHostState, JobRunState, TaskResult } from '@opsline/contracts';
import type { AuditOrigin } from '../../platform/audit/audit.service.js';
import { sql } from 'drizzle-orm';
import type { Db } from '../../platform/db/db.js';
import { inTransaction } from '../../platform/db/tx.js';
import type { PlatformServices } from '../../platform/services.js';
import type { AgentsModule } from '../agents/index.js';
import { jobsRepo, type HostOutcome, type RunHostRow, type RunRow } from './jobs.repo.js';
import { runTask } from './run-task.js';

/** Host states that count as a failure for the error strategy. */
const FAILURES: JobHostState[] = ['failed', 'timeout', 'lost', 'killed'];
/** A host held by another run of an exclusive template is looked at again after this long. */
const WAITING_RECHECK_MS = 1_000;

export const SYSTEM_ORIGIN: AuditOrigin = { actorId: null, actorName: 'system', sourceIp: '127.0.0.1', userAgent: null, method: 'JOB', path: 'jobs.driver' };

/** Hosts at once, from the strategy: a number, or a share of the run's hosts. */
export function concurrencyOf(concurrency: number | string, total: number): number {
  if (typeof concurrency === 'number') return concurrency;
  return Math.max(1, Math.ceil((total * Number(concurrency.slice(0, -1))) / 100));
}

/** What a driver needs from the rest of the server. */
export interface DriverDeps {
  platform: PlatformServices;
  exec: AgentsModule['exec'];
  /** The run ended (or left this server): forget the driver. */
  onEnd(runId: string): void;
  /** Something about the run changed (hosts started or ended, its state): its watchers look again. */
  changed(runId: string): void;
}

/**
 * Drives one run on the server that holds it: starts hosts as slots free up
 * (concurrency, the first-batch pause, per-host exclusivity), records what
 * they end with, applies the error strategy, and ends the run. Steps are
 * serialized; results arriving together are handled in one step, and the
 * hosts they free are started in one transaction — a burst of a hundred
 * results costs a few statements.
 */
export class RunDriver {
  private pending: RunHostRow[] = [];
  /** task id → host id */
  private readonly running = new Map<string, string>();
  private completions: { hostId: string; result: TaskResult }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private counts = new Map<JobHostState, number>();
  private retryTimer: NodeJS.Timeout | undefined;
  private ended = false;
  private aborted: string | null = null;

  constructor(
    private run: RunRow,
    hosts: RunHostRow[],
    private readonly deps: DriverDeps,
  ) {
    for (const h of hosts) this.count(h.status as JobHostState, 1);
    this.pending = hosts.filter((h) => h.status === 'pending' || h.status === 'waiting');
    for (const h of hosts) if (h.status === 'running' && h.taskId) this.watch(h.taskId, h.hostId);
  }

  get runId(): string {
    return this.run.id;
  }

  /** Looks again: after results, a control action (pause, resume, kill, retry) or a wait. */
  kick(): void {
    if (this.ended) return;
    this.chain = this.chain
      .then(() => this.step())
      .catch((err: unknown) => {
        this.deps.platform.log.error({ err, runId: this.run.id }, 'job run step failed; trying again');
        this.later(WAITING_RECHECK_MS);
      });
  }

  /** Tasks of hosts that were running when this server took the run over: some may have ended meanwhile. */
  async recover(): Promise<void> {
    for (const [taskId, hostId] of [...this.running]) {
      const task = await this.deps.exec.get(taskId).catch(() => undefined);
      if (task && task.status !== 'queued' && task.status !== 'running') {
        this.running.delete(taskId);
        this.completions.push({
          hostId,
          result: {
            taskId, status: task.status, exitCode: task.exitCode, signal: task.signal, stdout: '', stderr: '', stdoutBytes: task.stdoutBytes, stderrBytes: task.stderrBytes,
            startedAt: task.startedAt ? Date.parse(task.startedAt) : null, finishedAt: task.finishedAt ? Date.parse(task.finishedAt) : Date.now(), error: task.error,
          },
        });
      }
    }
    this.kick();
  }

  stop(): void {
    this.ended = true;
    clearTimeout(this.retryTimer);
  }

  private later(ms: number): void {
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.kick(), ms);
    this.retryTimer.unref();
  }

  private count(status: JobHostState, n: number): void {
    this.counts.set(status, (this.counts.get(status) ?? 0) + n);
  }

  private watch(taskId: string, hostId: string): void {
    this.running.set(taskId, hostId);
    void this.deps.exec.waitForResult(taskId).then((result) => {
      if (!this.running.delete(taskId)) return;
      this.completions.push({ hostId, result });
      this.kick();
    });
  }

  private async step(): Promise<void> {
    const fresh = await jobsRepo.runById(this.deps.platform.db, this.run.id);
    if (!fresh || fresh.owner !== this.run.owner) return this.leave();
    this.run = fresh;
    await this.recordCompletions();
    const status = this.run.status as JobRunState;
    if (status === 'killing' && this.pending.length) {
      // The kill marked the hosts not started as killed; the running ones end as their agents confirm.
      this.count('pending', -this.pending.length);
      this.count('killed', this.pending.length);
      this.pending = [];
    }
    if (status === 'running' && this.aborted === null) await this.startMore();
    // Results that came in while this step wrote are the next step's: the run is not over until they are recorded.
    if (this.running.size === 0 && this.completions.length === 0 && (this.pending.length === 0 || this.aborted !== null)) await this.finish();
    this.deps.changed(this.run.id);
  }

  private async recordCompletions(): Promise<void> {
    if (!this.completions.length) return;
    const batch = this.completions;
    this.completions = [];
    const outcomes: HostOutcome[] = batch.map(({ hostId, result }) => ({
      hostId, status: result.status, exitCode: result.exitCode, error: result.error, finishedAt: new Date(result.finishedAt),
    }));
    await jobsRepo.markEnded(this.deps.platform.db, this.run.id, outcomes);
    for (const o of outcomes) {
      this.count('running', -1);
      this.count(o.status, 1);
    }
    const failed = outcomes.filter((o) => FAILURES.includes(o.status));
    if (!failed.length || this.run.status !== 'running') return;
    const s = this.run.strategy;
    const first = failed[0] as HostOutcome;
    const host = (await jobsRepo.runHost(this.deps.platform.db, this.run.id, first.hostId))?.hostname ?? first.hostId;
    if (s.onError === 'pause') {
      await this.setStatus('paused', `paused: ${host} ended ${first.status}`, 'job.run.paused');
    } else if (s.onError === 'abort') {
      await this.abort(`aborted: ${host} ended ${first.status}`);
    } else if (s.maxFailureRatio !== undefined) {
      const done = [...this.counts].filter(([st]) => st !== 'pending' && st !== 'waiting' && st !== 'running').reduce((n, [, c]) => n + c, 0);
      const bad = FAILURES.reduce((n, st) => n + (this.counts.get(st) ?? 0), 0);
      if (done > 0 && bad / done > s.maxFailureRatio) await this.abort(`aborted: ${bad} of ${done} finished hosts failed, over ${Math.round(s.maxFailureRatio * 100)}%`);
    }
  }

  /** Starts no more hosts: those not started end skipped; the run ends failed once the running ones are done. */
  private async abort(reason: string): Promise<void> {
    this.aborted = reason;
    const notStarted = this.pending.map((h) => h.hostId);
    this.pending = [];
    const now = this.deps.platform.clock.now();
    await jobsRepo.markEnded(this.deps.platform.db, this.run.id, notStarted.map((hostId) => ({ hostId, status: 'skipped', exitCode: null, error: `not started: ${reason}`, finishedAt: now })));
    this.count('pending', -notStarted.length);
    this.count('skipped', notStarted.length);
    await jobsRepo.updateRun(this.deps.platform.db, this.run.id, { reason });
  }

  private async setStatus(status: JobRunState, reason: string, event: 'job.run.paused', extra: Partial<RunRow> = {}): Promise<void> {
    const run = this.run;
    await this.deps.platform.mutations({ action: event, origin: SYSTEM_ORIGIN, draft: { targetType: 'job_run', targetId: run.id, before: { status: run.status }, after: { status, reason } } }, async (ctx) => {
      await jobsRepo.updateRun(ctx.tx, run.id, { status, reason, ...extra });
      await ctx.emit(event, { runId: run.id, name: run.name, reason }, { summary: `job ${run.name} ${reason}`, severity: 'warning', resourceType: 'job_run', resourceId: run.id });
    });
    this.run = { ...run, status, reason, ...extra };
  }

  private async startMore(): Promise<void> {
    const { platform, exec } = this.deps;
    const s = this.run.strategy;
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const n = concurrencyOf(s.concurrency, total);
    let eligible = this.pending;
    if (s.batchPause && !this.run.firstBatchDone) {
      eligible = this.pending.filter((h) => h.batch === 0);
      const firstRunning = [...this.running.values()].length;
      if (!eligible.length && firstRunning === 0) {
        await this.setStatus('paused', 'first batch finished: resume to go on', 'job.run.paused', { firstBatchDone: true });
        return;
      }
    }
    const capacity = n - this.running.size;
    if (capacity <= 0 || !eligible.length) return;
    let picked = eligible.slice(0, capacity + (this.run.templateId && s.exclusive ? 50 : 0));
    if (this.run.templateId && s.exclusive) {
      const busy = await jobsRepo.busyHosts(platform.db, this.run.templateId, this.run.id, picked.map((h) => h.hostId));
      const waiting = picked.filter((h) => busy.has(h.hostId) && h.status !== 'waiting');
      await jobsRepo.setHostsStatus(platform.db, this.run.id, waiting.map((h) => h.hostId), 'waiting');
      for (const h of waiting) h.status = 'waiting';
      picked = picked.filter((h) => !busy.has(h.hostId));
      if (busy.size) this.later(WAITING_RECHECK_MS);
    }
    picked = picked.slice(0, capacity);
    if (!picked.length) return;
    const chosen = new Set(picked.map((h) => h.hostId));
    this.pending = this.pending.filter((h) => !chosen.has(h.hostId));

    const reach = await exec.reach(picked.map((h) => h.hostId));
    const now = platform.clock.now();
    const offline = picked.filter((h) => !reach.find((r) => r.id === h.hostId)?.online);
    const targets = reach.filter((r) => r.online);
    if (offline.length) {
      await jobsRepo.markEnded(platform.db, this.run.id, offline.map((h) => ({ hostId: h.hostId, status: 'skipped', exitCode: null, error: 'skipped: the host is offline (no connected agent, no SSH credential)', finishedAt: now })));
      this.count('pending', -offline.length);
      this.count('skipped', offline.length);
    }
    if (!targets.length) {
      this.kick();
      return;
    }
    const task = runTask(this.run, platform.box);
    const run = this.run;
    const exclusive = run.templateId && s.exclusive ? run.templateId : null;
    /** Hosts another run of an exclusive template took meanwhile: they wait here again. */
    let taken = new Set<string>();
    const write = async (tx: Db) => {
      let go = targets;
      if (exclusive) {
        // Checked again under a lock on the template: two runs starting hosts at once cannot both take one.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`opsline:exclusive:${exclusive}`}))`);
        taken = await jobsRepo.busyHosts(tx, exclusive, run.id, targets.map((t) => t.id));
        await jobsRepo.setHostsStatus(tx, run.id, [...taken], 'waiting');
        go = targets.filter((t) => !taken.has(t.id));
      }
      if (!go.length) return null;
      const launched = await exec.launch(tx, { task: task.task, secretParams: task.secretNames, userId: run.createdBy ?? '', targets: go });
      await jobsRepo.markStarted(tx, run.id, go.map((t) => ({ hostId: t.id, taskId: launched.taskOf.get(t.id) ?? '' })), now);
      return { ...launched, targets: go };
    };
    const go = (launched: Awaited<ReturnType<typeof write>>) => () => {
      if (!launched) return;
      for (const t of launched.targets) this.watch(launched.taskOf.get(t.id) ?? '', t.id);
      launched.go();
    };
    let started: Awaited<ReturnType<typeof write>>;
    if (exec.heldHere(targets)) {
      // Every agent's stream is on this server: a plain transaction, sent at commit (the user's start was audited).
      started = await inTransaction(platform.db, write);
      go(started)();
    } else {
      started = await platform.mutations({ action: 'job.run.dispatch', origin: { ...SYSTEM_ORIGIN, actorId: run.createdBy }, draft: { targetType: 'job_run', targetId: run.id, before: null, after: { hosts: targets.map((t) => t.hostname) } } }, async (ctx) => {
        const launched = await write(ctx.tx);
        // The servers holding the other agents send their tasks on this event (this one sends its own at commit).
        if (launched) {
          await ctx.emit('exec.started', { runId: launched.runId, taskIds: launched.taskIds, hostCount: launched.targets.length }, {
            summary: `job ${run.name}: ${launched.targets.length} host(s) started`, resourceType: 'exec', resourceId: launched.runId,
          });
        }
        ctx.afterCommit(go(launched));
        return launched;
      });
    }
    if (taken.size) {
      this.pending.unshift(...picked.filter((h) => taken.has(h.hostId)).map((h) => ({ ...h, status: 'waiting' })));
      this.later(WAITING_RECHECK_MS);
    }
    const startedCount = started?.targets.length ?? 0;
    this.count('pending', -startedCount);
    this.count('running', startedCount);
  }

  private async finish(): Promise<void> {
    const run = this.run;
    const total = [...this.counts.values()].reduce((a, b) => a + b, 0);
    const ok = this.counts.get('success') ?? 0;
    const status: JobRunState =
      run.status === 'killing' ? 'killed' : this.aborted !== null ? 'failed' : ok === total ? 'success' : ok === 0 ? 'failed' : 'partial';
    const counts = Object.fromEntries(this.counts);
    const now = this.deps.platform.clock.now();
    await this.deps.platform.mutations({ action: 'job.run.finish', origin: SYSTEM_ORIGIN, draft: { targetType: 'job_run', targetId: run.id, before: { status: run.status }, after: { status, counts } } }, async (ctx) => {
      await jobsRepo.updateRun(ctx.tx, run.id, { status, finishedAt: now, owner: null, leaseUntil: null, ...(this.aborted !== null && { reason: this.aborted }) });
      await ctx.emit('job.run.finished', { runId: run.id, name: run.name, status, counts }, {
        summary: `job ${run.name} ${status}: ${ok} of ${total} hosts succeeded`, severity: status === 'success' ? 'info' : 'warning', resourceType: 'job_run', resourceId: run.id,
      });
    });
    this.leave();
  }

  private leave(): void {
    this.stop();
    this.deps.onEnd(this.run.id);
  }
}
