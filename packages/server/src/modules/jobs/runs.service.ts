import {
  JOB_HOST_STATES, JOB_RUN_FINAL, JobStrategy, type JobHostState, type JobRunHostOutput, type JobRunHostView, type JobRunHostsQuery, type JobRunListQuery,
  type JobRunState, type JobRunView, type Page, type ScriptLanguage, type ScriptParam, type StartJobRunBody,
} from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { AgentsModule } from '../agents/index.js';
import type { ScriptsModule } from '../scripts/index.js';
import type { TreeModule } from '../tree/index.js';
import { jobsRepo, type RunHostRow, type RunRow } from './jobs.repo.js';
import { resolveParams } from './params.js';
import type { RunManager } from './run-manager.js';
import { concurrencyOf } from './run-driver.js';
import { PARAMS_SEAL } from './run-task.js';

/** A run checked and ready to write (everything that needs the database outside the transaction is done). */
export interface RunPlan {
  name: string;
  templateId: string | null;
  script: { scriptId: string | null; version: number | null; language: ScriptLanguage; content: string };
  params: { plain: Record<string, string>; secret: Record<string, string> };
  strategy: JobStrategy;
  hosts: { id: string; hostname: string; ip: string | null }[];
  /** Rules whose match makes the run wait for approval. */
  approval: string[];
}

const OPEN: JobRunState[] = ['pending', 'running', 'paused', 'killing'];

export function createRunService(deps: { platform: PlatformServices; tree: TreeModule; scripts: ScriptsModule; agents: AgentsModule; manager: RunManager }) {
  const { platform, tree, scripts, agents, manager } = deps;
  const { db, clock, box } = platform;

  async function view(run: RunRow, tx = db): Promise<JobRunView> {
    const counts = Object.fromEntries(JOB_HOST_STATES.map((s) => [s, 0])) as Record<JobHostState, number>;
    for (const c of await jobsRepo.hostCounts(tx, run.id)) counts[c.status] = c.n;
    return {
      id: run.id, name: run.name, templateId: run.templateId, scriptId: run.scriptId, scriptVersion: run.scriptVersion, language: run.language as ScriptLanguage,
      status: run.status as JobRunState, strategy: run.strategy, reason: run.reason, total: Object.values(counts).reduce((a, b) => a + b, 0), counts,
      createdBy: run.createdBy, createdAt: run.createdAt.toISOString(), startedAt: run.startedAt?.toISOString() ?? null, finishedAt: run.finishedAt?.toISOString() ?? null,
    };
  }

  const hostView = (h: RunHostRow): JobRunHostView => ({
    hostId: h.hostId, hostname: h.hostname, ip: h.ip, batch: h.batch, status: h.status as JobHostState, exitCode: h.exitCode, taskId: h.taskId, attempt: h.attempt,
    error: h.error, startedAt: h.startedAt?.toISOString() ?? null, finishedAt: h.finishedAt?.toISOString() ?? null,
  });

  async function runOrThrow(id: string, tx = db): Promise<RunRow> {
    const run = await jobsRepo.runById(tx, id);
    if (!run) throw new AppError('JOB_RUN_NOT_FOUND');
    return run;
  }

  /** The script a run takes: from the library (a version, or the latest) or inline. */
  async function scriptOf(body: StartJobRunBody, template: { scriptId: string; scriptVersion: number | null } | undefined) {
    if (body.inline) return { scriptId: null, version: null, language: body.inline.language, content: body.inline.content, params: [] as ScriptParam[], name: 'ad hoc' };
    const ref = body.script ?? (template && { scriptId: template.scriptId, version: template.scriptVersion ?? undefined });
    if (!ref) throw new AppError('VALIDATION_FAILED', 'body.templateId: give one of templateId, script or inline', { issues: [{ field: 'body.templateId', message: 'required' }] });
    const v = await scripts.version(ref.scriptId, ref.version);
    if (!v) throw new AppError('SCRIPT_VERSION_NOT_FOUND', `No version ${ref.version ?? '(latest)'} of script ${ref.scriptId}`, { issues: [{ field: 'body.script', message: 'no such script or version' }] });
    return { scriptId: v.scriptId, version: v.version, language: v.language, content: v.content, params: v.params, name: v.name };
  }

  /** Hosts a run reaches: the named ones and those under the named nodes, each once, in a stable order. */
  async function hostsOf(targets: { hostIds: string[]; nodeIds: string[] }): Promise<{ id: string; hostname: string; ip: string | null; nodeIds: string[] }[]> {
    const under = targets.nodeIds.length ? await tree.hostsUnder(targets.nodeIds) : [];
    const ids = [...new Set([...targets.hostIds, ...under.map((h) => h.id)])];
    const found = await tree.hostTargets(ids);
    const missing = targets.hostIds.filter((id) => !found.some((h) => h.id === id));
    if (missing.length) throw new AppError('HOST_NOT_FOUND', `No such host: ${missing.join(', ')}`, { issues: [{ field: 'body.targets.hostIds', message: `unknown host ${missing.join(', ')}` }] });
    return found.map((h) => ({ id: h.id, hostname: h.hostname, ip: h.ips[0] ?? null, nodeIds: h.nodeIds })).sort((a, b) => a.hostname.localeCompare(b.hostname));
  }

  return {
    view,
    hostView,

    /** Checks a run before its transaction: source, parameters, guard, targets and the caller's job:run on each host. */
    async plan(body: StartJobRunBody, userId: string): Promise<RunPlan> {
      const template = body.templateId ? await jobsRepo.templateById(db, body.templateId) : undefined;
      if (body.templateId && !template) throw new AppError('JOB_TEMPLATE_NOT_FOUND');
      const script = await scriptOf(body, template);
      const templateSecret = template?.sealedParams ? (JSON.parse(box.open(template.sealedParams, PARAMS_SEAL)) as Record<string, string>) : {};
      const given = { ...(template?.params ?? {}), ...templateSecret, ...(body.params ?? {}) };
      const params = script.scriptId ? resolveParams(script.params, given, 'body.params') : { plain: body.params ?? {}, secret: {} };
      const strategy = JobStrategy.parse({ ...(template?.strategy ?? {}), ...(body.strategy ?? {}) });
      const targets = body.targets ?? template?.targets;
      if (!targets) throw new AppError('VALIDATION_FAILED', 'body.targets: required without a template', { issues: [{ field: 'body.targets', message: 'required' }] });
      const hosts = await hostsOf(targets);
      if (!hosts.length) throw new AppError('JOB_NO_HOSTS', 'The targets resolve to no host: bind hosts to the nodes or pick hosts', { issues: [{ field: 'body.targets', message: 'no hosts' }] });
      for (const h of hosts) {
        if (!(await platform.rbac.canOnAnyNode(userId, 'job:run', h.nodeIds))) {
          throw new AppError('FORBIDDEN', `You lack the permission job:run on the nodes ${h.hostname} is bound to`, { permission: 'job:run', host: h.hostname });
        }
      }
      const verdict = await scripts.guard(script.content);
      const name = body.name ?? template?.name ?? script.name;
      if (verdict.action === 'block') {
        const rules = [...new Set(verdict.matches.filter((m) => m.action === 'block').map((m) => m.name))];
        // Refused with 403: the access guard writes the `denied` audit row, naming GUARD_BLOCKED.
        throw new AppError('GUARD_BLOCKED', `The script matches ${rules.join(', ')}: blocked by the dangerous-command guard`, { matches: verdict.matches, run: name });
      }
      return {
        name, templateId: template?.id ?? null, script, params, strategy, hosts: hosts.map(({ id, hostname, ip }) => ({ id, hostname, ip })),
        approval: verdict.action === 'approve' ? [...new Set(verdict.matches.map((m) => m.name))] : [],
      };
    },

    /** Writes the run and its hosts; the driver takes it after commit. */
    async start(ctx: MutationContext, plan: RunPlan, userId: string): Promise<JobRunView> {
      const now = clock.now();
      const id = uuidv7(now.getTime());
      const n = concurrencyOf(plan.strategy.concurrency, plan.hosts.length);
      const waiting = plan.approval.length > 0;
      const run: RunRow = {
        id, name: plan.name, templateId: plan.templateId, scriptId: plan.script.scriptId, scriptVersion: plan.script.version, language: plan.script.language,
        content: plan.script.content, params: plan.params.plain, sealedParams: Object.keys(plan.params.secret).length ? box.seal(JSON.stringify(plan.params.secret), PARAMS_SEAL) : null,
        secretNames: Object.keys(plan.params.secret), strategy: plan.strategy, status: waiting ? 'pending' : 'running',
        reason: waiting ? `waiting for approval: the script matches ${plan.approval.join(', ')}` : null, firstBatchDone: false,
        owner: manager.serverId, leaseUntil: manager.leaseUntil(), createdBy: userId, createdAt: now, startedAt: waiting ? null : now, finishedAt: null,
      };
      const hosts: RunHostRow[] = plan.hosts.map((h, seq) => ({
        runId: id, hostId: h.id, hostname: h.hostname, ip: h.ip, seq, batch: Math.floor(seq / n), status: 'pending', exitCode: null, taskId: null, attempt: 0,
        error: null, startedAt: null, finishedAt: null,
      }));
      await jobsRepo.insertRun(ctx.tx, run, hosts);
      Object.assign(ctx.audit, { targetType: 'job_run', targetId: id, after: { name: run.name, templateId: run.templateId, scriptId: run.scriptId, scriptVersion: run.scriptVersion, hosts: hosts.length, strategy: run.strategy } });
      await ctx.emit('job.run.started', { runId: id, name: run.name, hostCount: hosts.length }, { summary: `job ${run.name} started on ${hosts.length} host(s)`, resourceType: 'job_run', resourceId: id });
      ctx.afterCommit(() => manager.drive(run, hosts));
      return newRunView(run, hosts.length);
    },

    async get(id: string): Promise<JobRunView> {
      return view(await runOrThrow(id));
    },

    async list(q: JobRunListQuery): Promise<Page<JobRunView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await jobsRepo.listRuns(db, { status: q.status, templateId: q.templateId }, after, q.limit + 1);
      const page = toPage(rows, q.limit, (r) => r, (r) => r.id);
      const items: JobRunView[] = [];
      for (const r of page.items) items.push(await view(r));
      return { items, nextCursor: page.nextCursor };
    },

    async hosts(id: string, q: JobRunHostsQuery): Promise<Page<JobRunHostView>> {
      await runOrThrow(id);
      const after = q.cursor ? decodeCursor(q.cursor, 'number') : undefined;
      const rows = await jobsRepo.pageRunHosts(db, id, { status: q.status, q: q.q }, after, q.limit + 1);
      return toPage(rows, q.limit, hostView, (r) => r.seq);
    },

    async host(id: string, hostId: string): Promise<JobRunHostOutput> {
      const h = await jobsRepo.runHost(db, id, hostId);
      if (!h) throw new AppError('JOB_RUN_HOST_NOT_FOUND');
      const task = h.taskId ? await agents.exec.get(h.taskId).catch(() => undefined) : undefined;
      return { ...hostView(h), stdout: task?.stdout ?? '', stderr: task?.stderr ?? '', stdoutBytes: task?.stdoutBytes ?? 0, stderrBytes: task?.stderrBytes ?? 0 };
    },

    /** pause | resume | kill | retry-failed | approve, in the caller's transaction; the driver acts after commit. */
    async act(ctx: MutationContext, id: string, action: 'pause' | 'resume' | 'kill' | 'retry-failed' | 'approve', by: { id: string; name: string }): Promise<JobRunView> {
      const run = await runOrThrow(id, ctx.tx);
      const status = run.status as JobRunState;
      const refuse = (why: string): never => {
        throw new AppError('JOB_RUN_STATE', `Cannot ${action} a run that is ${status}: ${why}`, { status });
      };
      const set = async (next: Partial<RunRow>) => jobsRepo.updateRun(ctx.tx, id, next);
      const meta = { resourceType: 'job_run', resourceId: id } as const;
      Object.assign(ctx.audit, { targetType: 'job_run', targetId: id, before: { status } });
      if (action === 'pause') {
        if (status !== 'running') refuse('only a running run pauses');
        await set({ status: 'paused', reason: `paused by ${by.name}` });
        await ctx.emit('job.run.paused', { runId: id, name: run.name, reason: `paused by ${by.name}` }, { ...meta, summary: `job ${run.name} paused by ${by.name}` });
      } else if (action === 'resume') {
        if (status !== 'paused') refuse('only a paused run resumes');
        await set({ status: 'running', reason: null, ...(run.strategy.batchPause && { firstBatchDone: true }), owner: manager.serverId, leaseUntil: manager.leaseUntil() });
        await ctx.emit('job.run.resumed', { runId: id, name: run.name }, { ...meta, summary: `job ${run.name} resumed by ${by.name}` });
      } else if (action === 'approve') {
        if (status !== 'pending') refuse('only a run waiting for approval is approved');
        if (run.createdBy === by.id) throw new AppError('GUARD_SELF_APPROVAL');
        await set({ status: 'running', reason: null, startedAt: clock.now(), owner: manager.serverId, leaseUntil: manager.leaseUntil() });
        await ctx.emit('job.run.resumed', { runId: id, name: run.name }, { ...meta, summary: `job ${run.name} approved by ${by.name}` });
      } else if (action === 'kill') {
        if (!OPEN.includes(status) || status === 'killing') refuse('it has ended or is being killed');
        const hosts = await jobsRepo.runHosts(ctx.tx, id);
        const notStarted = hosts.filter((h) => h.status === 'pending' || h.status === 'waiting');
        await jobsRepo.markEnded(ctx.tx, id, notStarted.map((h) => ({ hostId: h.hostId, status: 'killed', exitCode: null, error: `not started: killed by ${by.name}`, finishedAt: clock.now() })));
        const running = hosts.filter((h) => h.status === 'running').length;
        // Nothing running: nothing to confirm, the run is over at once.
        await set(running ? { status: 'killing', reason: `killed by ${by.name}` } : { status: 'killed', reason: `killed by ${by.name}`, finishedAt: clock.now(), owner: null });
        await ctx.emit('job.run.killed', { runId: id, name: run.name }, { ...meta, summary: `job ${run.name} killed by ${by.name}`, severity: 'warning' });
      } else {
        if (!JOB_RUN_FINAL.includes(status) || status === 'success') refuse('only a failed, partial or killed run has failed hosts to retry');
        const hosts = await jobsRepo.runHosts(ctx.tx, id);
        const again = hosts.filter((h) => ['failed', 'timeout', 'lost', 'killed'].includes(h.status)).map((h) => h.hostId);
        if (!again.length) refuse('no host failed');
        await jobsRepo.setHostsStatus(ctx.tx, id, again, 'pending');
        await set({ status: 'running', reason: null, finishedAt: null, owner: manager.serverId, leaseUntil: manager.leaseUntil(), firstBatchDone: true });
        await ctx.emit('job.run.retried', { runId: id, name: run.name, hostCount: again.length }, { ...meta, summary: `job ${run.name}: ${again.length} failed host(s) retried by ${by.name}` });
      }
      // The event (on this server's bus and the others') makes the driver look again.
      return view(await runOrThrow(id, ctx.tx), ctx.tx);
    },
  };
}

/** A run just written: every host pending. */
function newRunView(run: RunRow, total: number): JobRunView {
  const counts = Object.fromEntries(JOB_HOST_STATES.map((s) => [s, 0])) as Record<JobHostState, number>;
  counts.pending = total;
  return {
    id: run.id, name: run.name, templateId: run.templateId, scriptId: run.scriptId, scriptVersion: run.scriptVersion, language: run.language as ScriptLanguage,
    status: run.status as JobRunState, strategy: run.strategy, reason: run.reason, total, counts, createdBy: run.createdBy, createdAt: run.createdAt.toISOString(),
    startedAt: run.startedAt?.toISOString() ?? null, finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

export type RunService = ReturnType<typeof createRunService>;
