import { EventEmitter } from 'node:events';
import {
  EXEC_TASK_STATES, taskNotStarted, type ExecBody, type ExecRunTask, type ExecRunTasksQuery, type ExecRunView, type ExecStarted, type ExecTask, type ExecTaskState,
  type ExecTaskView, type OutputStream, type Page, type TaskAssignment, type TaskResult,
} from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { createBatcher } from '../../platform/db/batcher.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { agentRepo } from './agent.repo.js';
import { ONLINE_WITHIN_MS } from './agent.service.js';
import { execRepo, type ExecTaskRow, type FinishRow } from './exec.repo.js';
import type { AgentSessions } from './agent-sessions.js';
import type { SshCredentialService } from './ssh-credentials.js';
import { runOverSsh } from './ssh-executor.js';

/** A piece of a running task's output, as the console's live view receives it. */
export interface OutputChunk {
  stream: OutputStream;
  offset: number;
  data: string;
}

/** While a task runs, this much of each stream is kept in memory for a GET; the result's tails are authoritative. */
const LIVE_TAIL_CHARS = 64 * 1024;
const SEAL_CONTEXT = 'exec_tasks.env';
/** What a secret value is replaced with in output. */
export const MASK = '******';

type Waiter = (r: TaskResult) => void;

/** Results written together: a fan-out's thousand results in a few statements; a big output goes in a smaller batch. */
const RESULT_BATCH_ITEMS = 500;
const RESULT_BATCH_BYTES = 8 * 1024 * 1024;

const asError = (e: unknown): Error => (e instanceof Error ? e : new Error(String(e)));

function finishRow(taskId: string, agentId: string | null, r: TaskResult): FinishRow {
  return {
    id: taskId, agentId, status: r.status, exitCode: r.exitCode, signal: r.signal, stdout: r.stdout, stderr: r.stderr, stdoutBytes: r.stdoutBytes,
    stderrBytes: r.stderrBytes, error: r.error, startedAt: r.startedAt === null ? null : new Date(r.startedAt), finishedAt: new Date(r.finishedAt),
  };
}

/** A run checked and ready to write. */
export interface ExecPlan {
  task: Omit<ExecBody, 'hostIds'>;
  userId: string;
  /** Names of params whose values are secret: masked in stored and live output. */
  secretParams?: string[];
  /** Each host reached by its agent, or over SSH when it has none but has a credential. */
  targets: { id: string; hostname: string; agentId: string | null; executor: 'agent' | 'ssh'; address: string | undefined }[];
}

/**
 * The execution layer: one way to run a script on a host, whatever reaches it.
 * Tasks are rows first (queued), then sent to the host's agent; a result is
 * recorded once per task id, however often an agent re-sends it.
 */
export function createExecService(deps: { platform: PlatformServices; tree: TreeModule; sessions: AgentSessions; ssh: SshCredentialService }) {
  const { platform, tree, sessions, ssh } = deps;
  /** SSH tasks running in this server, to kill them. */
  const sshRuns = new Map<string, AbortController>();
  const { db, clock, box } = platform;
  const live = new Map<string, { stdout: string; stderr: string }>();
  /** Tasks sent to an agent from this server and not yet finished: their output needs no lookup. */
  const inflight = new Map<string, string>();
  const output = new EventEmitter();
  output.setMaxListeners(0);
  const waiters = new Map<string, Waiter[]>();
  /** Values to mask in a task's output (its secret params), while it runs here. */
  const masks = new Map<string, string[]>();
  /** Runs started from this server: their exec.started event needs no dispatch here (it was done at commit). */
  const startedHere = new Set<string>();

  function assignment(row: ExecTaskRow, opened?: Map<string, Pick<ExecTask, 'env' | 'params'>>): TaskAssignment {
    const { secretParams, ...req } = row.request as Omit<ExecTask, 'script' | 'env' | 'params'> & { secretParams?: string[] };
    let sealed: Pick<ExecTask, 'env' | 'params'> = { env: {}, params: {} };
    if (row.sealedEnv) {
      // A run's tasks share one sealed env: opened once for all of them.
      sealed = opened?.get(row.sealedEnv) ?? (JSON.parse(box.open(row.sealedEnv, SEAL_CONTEXT)) as Pick<ExecTask, 'env' | 'params'>);
      opened?.set(row.sealedEnv, sealed);
    }
    const values = (secretParams ?? []).map((n) => sealed.params[n] ?? '').filter((v) => v.length > 0);
    if (values.length) masks.set(row.id, values.sort((a, b) => b.length - a.length));
    return { taskId: row.id, script: row.script, ...req, ...sealed };
  }

  /** Output with the task's secret values replaced (stored and live alike). */
  function masked(taskId: string, text: string): string {
    const values = masks.get(taskId);
    if (!values || !text) return text;
    let out = text;
    for (const v of values) out = out.replaceAll(v, MASK);
    return out;
  }
  const maskedResult = (r: TaskResult): TaskResult =>
    masks.has(r.taskId) ? { ...r, stdout: masked(r.taskId, r.stdout), stderr: masked(r.taskId, r.stderr), error: r.error === null ? null : masked(r.taskId, r.error) } : r;

  function view(row: ExecTaskRow): ExecTaskView {
    const tails = live.get(row.id);
    return {
      id: row.id, runId: row.runId, hostId: row.hostId, hostname: row.hostname, executor: row.executor as ExecTaskView['executor'], status: row.status as ExecTaskState,
      exitCode: row.exitCode, signal: row.signal, stdout: tails?.stdout ?? row.stdout, stderr: tails?.stderr ?? row.stderr,
      stdoutBytes: row.stdoutBytes, stderrBytes: row.stderrBytes, error: row.error, createdBy: row.createdBy,
      createdAt: row.createdAt.toISOString(), startedAt: row.startedAt?.toISOString() ?? null, finishedAt: row.finishedAt?.toISOString() ?? null,
    };
  }

  /** Runs an SSH task from this server; its result is recorded like an agent's. */
  async function runSsh(row: ExecTaskRow, address: string | undefined): Promise<void> {
    const target = await ssh.target(row.hostId, address);
    if (!target) {
      await finish(row.id, { ...taskNotStarted(row.id, 'lost', 'the host has no SSH credential (or no address) any more'), status: 'failed' });
      return;
    }
    await execRepo.markRunning(db, [row.id], clock.now());
    const abort = new AbortController();
    sshRuns.set(row.id, abort);
    try {
      const task = assignment(row);
      // As on agents: the task sees the host as the CMDB names it.
      const result = await runOverSsh(target, { ...task, env: { OPSLINE_HOST: row.hostname, ...task.env } }, {
        signal: abort.signal,
        onOutput: (c) => recordOutput(row.id, { stream: c.stream, offset: c.offset, data: c.data.toString('utf8') }),
      });
      await finish(row.id, result);
    } finally {
      sshRuns.delete(row.id);
    }
  }

  function recordOutput(taskId: string, raw: OutputChunk): void {
    const chunk = masks.has(taskId) ? { ...raw, data: masked(taskId, raw.data) } : raw;
    const tails = live.get(taskId) ?? { stdout: '', stderr: '' };
    tails[chunk.stream] = (tails[chunk.stream] + chunk.data).slice(-LIVE_TAIL_CHARS);
    live.set(taskId, tails);
    output.emit(taskId, { chunk });
  }

  /**
   * Sends queued or running tasks to their agents when connected (the others
   * wait for their agent's Hello), then marks them running in one statement.
   * Sent first: a result that overtakes the mark is kept, the mark then skips it.
   */
  async function dispatch(rows: ExecTaskRow[]): Promise<void> {
    const opened = new Map<string, Pick<ExecTask, 'env' | 'params'>>();
    const sent: string[] = [];
    for (const row of rows) {
      const link = row.agentId ? sessions.get(row.agentId) : undefined;
      if (!link || !row.agentId) continue;
      inflight.set(row.id, row.agentId);
      link.assign(assignment(row, opened));
      sent.push(row.id);
    }
    await execRepo.markRunning(db, sent, clock.now());
  }

  /** What follows a recorded result: whoever waits on it, and the stream's end for those watching. */
  async function recorded(taskId: string, result: TaskResult, tx: Db): Promise<void> {
    for (const w of waiters.get(taskId) ?? []) w(result);
    waiters.delete(taskId);
    // The finished task is read back only for someone watching its stream.
    if (output.listenerCount(taskId) === 0) return;
    try {
      output.emit(taskId, { end: view((await execRepo.taskById(tx, taskId)) as ExecTaskRow) });
    } catch (err) {
      platform.log.warn({ err, taskId }, 'could not read a finished task back for its watchers');
    }
  }

  async function finish(taskId: string, raw: TaskResult, tx: Db = db): Promise<boolean> {
    const result = maskedResult(raw);
    const done = await execRepo.finish(tx, finishRow(taskId, null, result));
    live.delete(taskId);
    inflight.delete(taskId);
    masks.delete(taskId);
    if (done) await recorded(taskId, result, tx);
    return done;
  }

  /** Agents' results, written together; each settles true when this write recorded it, false for a repeat or a stranger's task. */
  const results = createBatcher<{ agentId: string; result: TaskResult }, boolean | Error>({
    maxItems: RESULT_BATCH_ITEMS,
    maxWeight: RESULT_BATCH_BYTES,
    weight: ({ result: r }) => r.stdout.length + r.stderr.length + 256,
    async write(raw) {
      const items = raw.map((i) => ({ agentId: i.agentId, result: maskedResult(i.result) }));
      let outcome: (boolean | Error)[];
      try {
        const ids = await execRepo.finishMany(db, items.map((i) => finishRow(i.result.taskId, i.agentId, i.result)));
        outcome = items.map((i) => ids.has(i.result.taskId));
      } catch (err) {
        // One bad result must not hold back the others: one at a time, so only it fails (and is re-sent, unacknowledged).
        platform.log.warn({ err, results: items.length }, 'writing results together failed; writing them one by one');
        outcome = [];
        for (const i of items) outcome.push(await execRepo.finish(db, finishRow(i.result.taskId, i.agentId, i.result)).catch((e: unknown) => asError(e)));
      }
      for (const [k, { result }] of items.entries()) {
        if (outcome[k] instanceof Error) continue;
        live.delete(result.taskId);
        inflight.delete(result.taskId);
        masks.delete(result.taskId);
        if (outcome[k]) await recorded(result.taskId, result, db);
      }
      return outcome;
    },
  });

  /**
   * Writes a planned run's tasks in a transaction; `go()` sends them once it
   * has committed. For callers with their own transaction (the job center).
   */
  async function launch(tx: Db, plan: ExecPlan): Promise<{ runId: string; taskIds: string[]; taskOf: Map<string, string>; go: () => void }> {
    const { task, targets, userId } = plan;
    const { env, params, script, ...rest } = task;
    const request = plan.secretParams?.length ? { ...rest, secretParams: plan.secretParams } : rest;
    const sealedEnv = Object.keys(env).length || Object.keys(params).length ? box.seal(JSON.stringify({ env, params }), SEAL_CONTEXT) : null;
    const now = clock.now();
    const runId = uuidv7(now.getTime());
    const rows: ExecTaskRow[] = targets.map((t) => ({
      id: uuidv7(now.getTime()), runId, hostId: t.id, hostname: t.hostname, agentId: t.agentId, executor: t.executor, script,
      request, sealedEnv, status: 'queued', exitCode: null, signal: null, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, error: null,
      createdBy: userId, createdAt: now, startedAt: null, finishedAt: null,
    }));
    await execRepo.insertTasks(tx, rows);
    const addressOf = new Map(targets.map((t) => [t.id, t.address]));
    const go = (): void => {
      startedHere.add(runId);
      dispatch(rows.filter((r) => r.executor === 'agent')).catch((err: unknown) => platform.log.error({ err, runId }, 'could not send a run\'s tasks'));
      for (const r of rows) {
        if (r.executor === 'ssh') runSsh(r, addressOf.get(r.hostId)).catch((err: unknown) => platform.log.error({ err, taskId: r.id }, 'could not start a task'));
      }
    };
    return { runId, taskIds: rows.map((r) => r.id), taskOf: new Map(rows.map((r) => [r.hostId, r.id])), go };
  }

  function runView(id: string, counts: Awaited<ReturnType<typeof execRepo.runCounts>>): ExecRunView {
    const byState = Object.fromEntries(EXEC_TASK_STATES.map((st) => [st, 0])) as Record<ExecTaskState, number>;
    for (const c of counts) byState[c.status] = c.n;
    const total = counts.reduce((n, c) => n + c.n, 0);
    const open = byState.queued + byState.running;
    const first = counts[0];
    const finished = counts.map((c) => c.finishedAt?.getTime() ?? 0).reduce((a, b) => Math.max(a, b), 0);
    return {
      id, total, done: total - open, counts: byState, createdBy: first?.createdBy ?? null, createdAt: (first?.createdAt ?? new Date(0)).toISOString(),
      finishedAt: open === 0 && finished ? new Date(finished).toISOString() : null,
    };
  }

  return {
    view,

    /**
     * Checks a run before its transaction: the hosts exist, the user holds
     * exec:run on each host's nodes (or globally), and each has a live agent.
     */
    async plan(body: ExecBody, userId: string): Promise<ExecPlan> {
      const { hostIds, ...task } = body;
      const targets = await tree.hostTargets(hostIds);
      const missing = [...new Set(hostIds)].filter((id) => !targets.some((t) => t.id === id));
      if (missing.length) throw new AppError('HOST_NOT_FOUND', `No such host: ${missing.join(', ')}`, { issues: [{ field: 'body.hostIds', message: `unknown host ${missing.join(', ')}` }] });
      for (const t of targets) {
        if (!(await platform.rbac.canOnAnyNode(userId, 'exec:run', t.nodeIds))) {
          throw new AppError('FORBIDDEN', `You lack the permission exec:run on the nodes ${t.hostname} is bound to`, { permission: 'exec:run' });
        }
      }
      const agentOf = new Map<string, string>();
      for (const a of await agentRepo.liveAgentsOfHosts(db, targets.map((t) => t.id))) if (a.hostId && !agentOf.has(a.hostId)) agentOf.set(a.hostId, a.id);
      const viaSsh = await ssh.hostsWithCredential(targets.filter((t) => !agentOf.has(t.id)).map((t) => t.id));
      const unreachable = targets.filter((t) => !agentOf.has(t.id) && !viaSsh.has(t.id)).map((t) => t.hostname);
      if (unreachable.length) {
        throw new AppError('EXEC_NO_EXECUTOR', `No agent and no SSH credential on ${unreachable.join(', ')}: install the agent there or set an SSH credential`, {
          issues: [{ field: 'body.hostIds', message: `unreachable: ${unreachable.join(', ')}` }], hostnames: unreachable,
        });
      }
      return {
        task, userId,
        targets: targets.map((t) => ({
          id: t.id, hostname: t.hostname, agentId: agentOf.get(t.id) ?? null, executor: agentOf.has(t.id) ? ('agent' as const) : ('ssh' as const), address: t.ips[0],
        })),
      };
    },

    launch,

    /** True when every target is reached from this server (its agent's stream is here): no other server needs telling. */
    heldHere: (targets: { agentId: string | null; executor: 'agent' | 'ssh' }[]): boolean =>
      targets.every((t) => t.executor === 'ssh' || (t.agentId !== null && sessions.get(t.agentId) !== undefined)),

    /**
     * How each host can be reached now, for runs that skip what is offline:
     * an online agent, else an SSH credential, else null. No permission check.
     */
    async reach(hostIds: string[]): Promise<(ExecPlan['targets'][number] & { online: boolean; ip: string | null; nodeIds: string[] })[]> {
      const targets = await tree.hostTargets(hostIds);
      const since = clock.now().getTime() - ONLINE_WITHIN_MS;
      const agentOf = new Map<string, { id: string; online: boolean }>();
      for (const a of await agentRepo.liveAgentsOfHosts(db, targets.map((t) => t.id))) {
        if (!a.hostId || agentOf.has(a.hostId)) continue;
        agentOf.set(a.hostId, { id: a.id, online: Boolean(a.sessionServer) && (a.lastSeenAt?.getTime() ?? 0) >= since });
      }
      const viaSsh = await ssh.hostsWithCredential(targets.filter((t) => !agentOf.get(t.id)?.online).map((t) => t.id));
      return targets.map((t) => {
        const agent = agentOf.get(t.id);
        const executor = agent?.online ? ('agent' as const) : ('ssh' as const);
        return {
          id: t.id, hostname: t.hostname, ip: t.ips[0] ?? null, nodeIds: t.nodeIds, address: t.ips[0], agentId: agent?.online ? agent.id : null, executor,
          online: Boolean(agent?.online) || viaSsh.has(t.id),
        };
      });
    },

    /** Writes a planned run's tasks in the caller's transaction, audited; they go to the agents after it commits. */
    async start(ctx: MutationContext, plan: ExecPlan): Promise<ExecStarted> {
      const { runId, taskIds, go } = await launch(ctx.tx, plan);
      const { task, targets } = plan;
      Object.assign(ctx.audit, { targetType: 'exec', targetId: runId, after: { runId, taskIds, hosts: targets.map((t) => t.hostname), interpreter: task.interpreter ?? null, runAs: task.runAs ?? null } });
      await ctx.emit('exec.started', { runId, taskIds, hostCount: taskIds.length }, { summary: `script started on ${taskIds.length} host(s)`, resourceType: 'exec', resourceId: runId });
      ctx.afterCommit(go);
      return { runId, taskIds };
    },

    async run(id: string): Promise<ExecRunView> {
      const counts = await execRepo.runCounts(db, id);
      if (!counts.length) throw new AppError('EXEC_RUN_NOT_FOUND');
      return runView(id, counts);
    },

    async runTasks(id: string, q: ExecRunTasksQuery): Promise<Page<ExecRunTask>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await execRepo.runTasks(db, id, { status: q.status }, after, q.limit + 1);
      return toPage(rows, q.limit, (r) => ({ ...view(r), outputCut: r.outputCut }), (r) => r.id);
    },

    /** Node ids of each host a run reached (for checking who may follow it); undefined when there is no such run. */
    async nodesOfRun(id: string): Promise<string[][] | undefined> {
      const hostIds = await execRepo.runHostIds(db, id);
      if (!hostIds.length) return undefined;
      return (await tree.hostTargets(hostIds)).map((t) => t.nodeIds);
    },

    async get(id: string): Promise<ExecTaskView> {
      const row = await execRepo.taskById(db, id);
      if (!row) throw new AppError('EXEC_TASK_NOT_FOUND');
      return view(row);
    },

    /** Node ids a task's host is bound to (for checking who may see or kill it). */
    async nodesOfTask(id: string): Promise<{ row: ExecTaskRow; nodeIds: string[] }> {
      const row = await execRepo.taskById(db, id);
      if (!row) throw new AppError('EXEC_TASK_NOT_FOUND');
      const [target] = await tree.hostTargets([row.hostId]);
      return { row, nodeIds: target?.nodeIds ?? [] };
    },

    async kill(ctx: MutationContext, id: string, by: string): Promise<ExecTaskView> {
      const row = await execRepo.taskById(ctx.tx, id);
      if (!row) throw new AppError('EXEC_TASK_NOT_FOUND');
      Object.assign(ctx.audit, { targetType: 'exec_task', targetId: id });
      if (row.status === 'queued') await finish(id, taskNotStarted(id, 'killed', `killed by ${by} before it started`), ctx.tx);
      // A running task is killed by whichever server runs it (its SSH session, or its agent's stream): see killHere, on the event.
      await ctx.emit('exec.task.killed', { taskId: id, hostname: row.hostname, by }, { summary: `task on ${row.hostname} killed by ${by}`, resourceType: 'exec_task', resourceId: id });
      return view((await execRepo.taskById(ctx.tx, id)) as ExecTaskRow);
    },

    /** Live output and the end of a task, for the SSE stream; returns the unsubscribe. */
    subscribe(id: string, fn: (e: { chunk?: OutputChunk; end?: ExecTaskView }) => void): () => void {
      output.on(id, fn);
      return () => output.off(id, fn);
    },

    /** Resolves with the task's result once it is recorded (the job center waits on this). */
    waitForResult(id: string): Promise<TaskResult> {
      return new Promise((resolve) => waiters.set(id, [...(waiters.get(id) ?? []), resolve]));
    },

    // ---------------------------------------------------------------- from agents

    /** A connected agent said Hello: re-send its open tasks it is not running; name the running ones we no longer want. */
    async agentConnected(agentId: string, runningTaskIds: string[]): Promise<string[]> {
      const open = await execRepo.openTasksOfAgent(db, agentId);
      const openIds = new Set(open.map((t) => t.id));
      const running = new Set(runningTaskIds);
      const opened = new Map<string, Pick<ExecTask, 'env' | 'params'>>();
      for (const row of open) {
        if (!running.has(row.id)) continue;
        inflight.set(row.id, agentId);
        // Re-attached after a restart: its secret values are masked again.
        assignment(row, opened);
      }
      await dispatch(open.filter((row) => !running.has(row.id)));
      return runningTaskIds.filter((id) => !openIds.has(id));
    },

    async agentOutput(agentId: string, taskId: string, chunk: OutputChunk): Promise<void> {
      if (inflight.get(taskId) !== agentId) {
        // Not sent from here (another server, or before a restart): the database says whose it is.
        const row = await execRepo.taskById(db, taskId);
        if (row?.agentId !== agentId || (row.status !== 'running' && row.status !== 'queued')) return;
        inflight.set(taskId, agentId);
      }
      recordOutput(taskId, chunk);
    },

    /**
     * An agent's result: recorded once, together with others arriving at the
     * same time; resolves once written (true) or found a repeat or another
     * agent's task (false). Rejects when it could not be written: then it is
     * not acknowledged, and the agent sends it again.
     */
    async agentResult(agentId: string, result: TaskResult): Promise<boolean> {
      const outcome = await results.add({ agentId, result });
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },

    // ------------------------------------------------------- several servers

    /**
     * A run was started (exec.started, from any server): send its queued tasks
     * whose agents hold their stream to this server. The starting server sent
     * its own at commit.
     */
    async dispatchRun(runId: string): Promise<void> {
      if (startedHere.delete(runId) || sessions.count() === 0) return;
      const queued = await execRepo.queuedOfRun(db, runId);
      await dispatch(queued.filter((r) => r.agentId && sessions.get(r.agentId) && !inflight.has(r.id)));
    },

    /** A kill was asked (exec.task.killed, from any server): the server running the task ends it. */
    killHere(taskId: string, by: string): void {
      sshRuns.get(taskId)?.abort();
      const agentId = inflight.get(taskId);
      if (agentId) sessions.get(agentId)?.kill(taskId, by);
    },

    /**
     * Results recorded by another server (its agent ran the task): waiters and
     * stream watchers here learn of them from the database, all in one query.
     */
    async settleFromDatabase(): Promise<void> {
      const watched = [...new Set([...waiters.keys(), ...output.eventNames().filter((n): n is string => typeof n === 'string')])].filter((id) => !inflight.has(id));
      if (!watched.length) return;
      for (const row of await execRepo.finishedAmong(db, watched)) {
        await recorded(row.id, {
          taskId: row.id, status: row.status as TaskResult['status'], exitCode: row.exitCode, signal: row.signal, stdout: row.stdout, stderr: row.stderr,
          stdoutBytes: row.stdoutBytes, stderrBytes: row.stderrBytes, startedAt: row.startedAt?.getTime() ?? null, finishedAt: row.finishedAt?.getTime() ?? Date.now(), error: row.error,
        }, db);
      }
    },

    /** Waits for results being written (on shutdown). */
    drain: () => results.drain(),
  };
}

export type ExecService = ReturnType<typeof createExecService>;
