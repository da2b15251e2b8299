import { EventEmitter } from 'node:events';
import { taskNotStarted, type ExecBody, type ExecTask, type ExecTaskState, type ExecTaskView, type OutputStream, type TaskAssignment, type TaskResult } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { agentRepo, type ExecTaskRow } from './agent.repo.js';
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

type Waiter = (r: TaskResult) => void;

/** A run checked and ready to write. */
export interface ExecPlan {
  task: Omit<ExecBody, 'hostIds'>;
  userId: string;
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
  const output = new EventEmitter();
  output.setMaxListeners(0);
  const waiters = new Map<string, Waiter[]>();

  function assignment(row: ExecTaskRow): TaskAssignment {
    const req = row.request as Omit<ExecTask, 'script' | 'env' | 'params'>;
    const sealed = row.sealedEnv ? (JSON.parse(box.open(row.sealedEnv, SEAL_CONTEXT)) as Pick<ExecTask, 'env' | 'params'>) : { env: {}, params: {} };
    return { taskId: row.id, script: row.script, ...req, ...sealed };
  }

  function view(row: ExecTaskRow): ExecTaskView {
    const tails = live.get(row.id);
    return {
      id: row.id, hostId: row.hostId, hostname: row.hostname, executor: row.executor as ExecTaskView['executor'], status: row.status as ExecTaskState,
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
    await agentRepo.markRunning(db, row.id, clock.now());
    const abort = new AbortController();
    sshRuns.set(row.id, abort);
    try {
      const result = await runOverSsh(target, assignment(row), {
        signal: abort.signal,
        onOutput: (c) => recordOutput(row.id, { stream: c.stream, offset: c.offset, data: c.data.toString('utf8') }),
      });
      await finish(row.id, result);
    } finally {
      sshRuns.delete(row.id);
    }
  }

  function recordOutput(taskId: string, chunk: OutputChunk): void {
    const tails = live.get(taskId) ?? { stdout: '', stderr: '' };
    tails[chunk.stream] = (tails[chunk.stream] + chunk.data).slice(-LIVE_TAIL_CHARS);
    live.set(taskId, tails);
    output.emit(taskId, { chunk });
  }

  /** Sends a queued or running task to its agent if it is connected; otherwise it waits for the agent's Hello. */
  async function dispatch(row: ExecTaskRow): Promise<void> {
    const link = row.agentId ? sessions.get(row.agentId) : undefined;
    if (!link) return;
    await agentRepo.markRunning(db, row.id, clock.now());
    link.assign(assignment(row));
  }

  async function finish(taskId: string, result: TaskResult, tx: Db = db): Promise<boolean> {
    const recorded = await agentRepo.finish(tx, taskId, {
      status: result.status, exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr,
      stdoutBytes: result.stdoutBytes, stderrBytes: result.stderrBytes, error: result.error,
      startedAt: result.startedAt === null ? null : new Date(result.startedAt), finishedAt: new Date(result.finishedAt),
    });
    live.delete(taskId);
    if (recorded) {
      for (const w of waiters.get(taskId) ?? []) w(result);
      waiters.delete(taskId);
      // The finished task is read back only for someone watching its stream.
      if (output.listenerCount(taskId) > 0) output.emit(taskId, { end: view((await agentRepo.taskById(tx, taskId)) as ExecTaskRow) });
    }
    return recorded;
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

    /** Writes a planned run's tasks in the caller's transaction; they go to the agents after it commits. */
    async start(ctx: MutationContext, plan: ExecPlan): Promise<{ taskIds: string[] }> {
      const { task, targets, userId } = plan;
      const { env, params, script, ...request } = task;
      const sealedEnv = Object.keys(env).length || Object.keys(params).length ? box.seal(JSON.stringify({ env, params }), SEAL_CONTEXT) : null;
      const now = clock.now();
      const rows: ExecTaskRow[] = [];
      for (const t of targets) {
        const row = {
          id: uuidv7(now.getTime()), hostId: t.id, hostname: t.hostname, agentId: t.agentId, executor: t.executor, script,
          request, sealedEnv, status: 'queued', exitCode: null, signal: null, stdout: '', stderr: '', stdoutBytes: 0, stderrBytes: 0, error: null,
          createdBy: userId, createdAt: now, startedAt: null, finishedAt: null,
        } satisfies ExecTaskRow;
        await agentRepo.insertTask(ctx.tx, row);
        rows.push(row);
      }
      const taskIds = rows.map((r) => r.id);
      Object.assign(ctx.audit, { targetType: 'exec', after: { taskIds, hosts: targets.map((t) => t.hostname), interpreter: task.interpreter ?? null, runAs: task.runAs ?? null } });
      await ctx.emit('exec.started', { taskIds, hostCount: rows.length }, { summary: `script started on ${rows.length} host(s)`, resourceType: 'exec' });
      const addressOf = new Map(targets.map((t) => [t.id, t.address]));
      ctx.onCommit(() => {
        for (const r of rows) {
          const run = r.executor === 'ssh' ? runSsh(r, addressOf.get(r.hostId)) : dispatch(r);
          run.catch((err: unknown) => platform.log.error({ err, taskId: r.id }, 'could not start a task'));
        }
      });
      return { taskIds };
    },

    async get(id: string): Promise<ExecTaskView> {
      const row = await agentRepo.taskById(db, id);
      if (!row) throw new AppError('EXEC_TASK_NOT_FOUND');
      return view(row);
    },

    /** Node ids a task's host is bound to (for checking who may see or kill it). */
    async nodesOfTask(id: string): Promise<{ row: ExecTaskRow; nodeIds: string[] }> {
      const row = await agentRepo.taskById(db, id);
      if (!row) throw new AppError('EXEC_TASK_NOT_FOUND');
      const [target] = await tree.hostTargets([row.hostId]);
      return { row, nodeIds: target?.nodeIds ?? [] };
    },

    async kill(ctx: MutationContext, id: string, by: string): Promise<ExecTaskView> {
      const row = await agentRepo.taskById(ctx.tx, id);
      if (!row) throw new AppError('EXEC_TASK_NOT_FOUND');
      Object.assign(ctx.audit, { targetType: 'exec_task', targetId: id });
      if (row.status === 'queued') await finish(id, taskNotStarted(id, 'killed', `killed by ${by} before it started`), ctx.tx);
      else if (row.status === 'running' && row.executor === 'ssh') sshRuns.get(id)?.abort();
      else if (row.status === 'running' && row.agentId) sessions.get(row.agentId)?.kill(id, by);
      await ctx.emit('exec.task.killed', { taskId: id, hostname: row.hostname }, { summary: `task on ${row.hostname} killed by ${by}`, resourceType: 'exec_task', resourceId: id });
      return view((await agentRepo.taskById(ctx.tx, id)) as ExecTaskRow);
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
      const open = await agentRepo.openTasksOfAgent(db, agentId);
      const openIds = new Set(open.map((t) => t.id));
      for (const row of open) if (!runningTaskIds.includes(row.id)) await dispatch(row);
      return runningTaskIds.filter((id) => !openIds.has(id));
    },

    async agentOutput(agentId: string, taskId: string, chunk: OutputChunk): Promise<void> {
      if (!live.has(taskId)) {
        const row = await agentRepo.taskById(db, taskId);
        if (row?.agentId !== agentId || (row.status !== 'running' && row.status !== 'queued')) return;
      }
      recordOutput(taskId, chunk);
    },

    /** An agent's result: recorded once (repeats are acknowledged and ignored); false when the task is not this agent's. */
    async agentResult(agentId: string, result: TaskResult): Promise<boolean> {
      const row = await agentRepo.taskById(db, result.taskId);
      if (row?.agentId !== agentId) return false;
      await finish(result.taskId, result);
      return true;
    },
  };
}

export type ExecService = ReturnType<typeof createExecService>;
