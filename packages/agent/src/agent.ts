import { readFile, rm } from 'node:fs/promises';
import type { ClientUnaryCall } from '@grpc/grpc-js';
import { AssignedTasks, type TaskOutlet } from './assigned-tasks.js';
import { HostReport } from './collectors/host-report.js';
import { AgentConfigError, resolveAgentConfig, type AgentConfig, type AgentOptions } from './config.js';
import { enrollUntilDone } from './enrollment.js';
import { Executor } from './executor/index.js';
import type { Logger } from './logger.js';
import { FinishedJournal } from './state/finished-journal.js';
import { readIdentity, type AgentIdentity } from './state/identity.js';
import { readBootId } from './state/process-start.js';
import { lockStateDir, prepareStateDir, statePaths, type StatePaths } from './state/state-dir.js';
import { TaskRecordStore } from './state/task-records.js';
import { Backoff, pause } from './transport/backoff.js';
import { createAgentClient, type AgentServiceClient } from './transport/channel.js';
import { EnrollRefusedError } from './transport/enroll.js';
import type { ReceivedServerMessage, WireTaskAssign, WireWelcome } from './transport/messages.js';
import { AgentSession, type SessionEnd } from './transport/session.js';
import { fromWireAssign, toWireFacts, toWireMetrics, toWireOutput, toWireResult } from './transport/wire.js';
import { AGENT_VERSION } from './version.js';

/** Why an agent stopped. Anything but `stopped` is the server saying no: retrying would not help. */
export type AgentExit =
  | { reason: 'stopped' }
  | { reason: 'revoked' | 'enroll-refused' | 'identity-refused' | 'failed'; message: string };

export type AgentPhase = 'created' | 'starting' | 'enrolling' | 'connecting' | 'connected' | 'stopping' | 'stopped';

export interface AgentStatus {
  phase: AgentPhase;
  agentId: string | undefined;
  hostname: string;
  runningTasks: number;
  queuedTasks: number;
  /** Results on disk waiting for the server's ResultAck. */
  pendingResults: number;
  /** Sessions the server welcomed since start. */
  sessions: number;
}

export interface Agent {
  /** Prepares the state dir, recovers tasks an earlier run left, then enrolls/connects in the background. */
  start(): Promise<void>;
  /** Graceful stop: no new tasks, running ones get `graceMs` (then are killed), results are on disk before it resolves. */
  stop(options?: { graceMs?: number }): Promise<AgentExit>;
  /** Settles when the agent has stopped, for whatever reason. */
  readonly done: Promise<AgentExit>;
  status(): AgentStatus;
}

/** With no Welcome this long after Hello, the stream is given up and opened again. */
const WELCOME_TIMEOUT_MS = 30_000;
/** Results unacked this long within a session are sent again (besides after every reconnect). */
const RESULT_RESEND_MS = 60_000;
/** On stop, how long to wait for the server to ack the last results (the rest are re-sent after the next start). */
const STOP_ACK_WAIT_MS = 2_000;

/**
 * Creates an agent. Many can run in one process, each with its own state
 * dir and identity (tests, the fan-out benchmark). Throws
 * {@link AgentConfigError} for a bad option.
 */
export function createAgent(options: AgentOptions): Agent {
  return new HostAgent(resolveAgentConfig(options));
}

class HostAgent implements Agent {
  readonly done: Promise<AgentExit>;
  private resolveDone!: (exit: AgentExit) => void;
  private readonly log: Logger;
  private readonly paths: StatePaths;
  private readonly backoff: Backoff;
  private readonly stopSignal = new AbortController();
  private readonly host: HostReport;
  private phase: AgentPhase = 'created';
  private identity: AgentIdentity | undefined;
  private client: AgentServiceClient | undefined;
  private tasks: AssignedTasks | undefined;
  private executor: Executor | undefined;
  private releaseLock: (() => Promise<void>) | undefined;
  private session: AgentSession | undefined;
  private welcomed = false;
  private sessions = 0;
  private sessionTimers: NodeJS.Timeout[] = [];
  private factsTimer: NodeJS.Timeout | undefined;
  private enrollCall: ClientUnaryCall | undefined;
  private stopping: Promise<AgentExit> | undefined;

  constructor(private readonly config: AgentConfig) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.log = config.logger.child({ hostname: config.hostname });
    this.paths = statePaths(config.stateDir);
    this.backoff = new Backoff(config.backoff.initialMs, config.backoff.maxMs);
    this.host = new HostReport(config.hostnameOverridden ? config.hostname : undefined);
  }

  async start(): Promise<void> {
    if (this.phase !== 'created') throw new Error('the agent was already started');
    this.phase = 'starting';
    const { config: c, paths } = this;
    await prepareStateDir(paths);
    this.releaseLock = await lockStateDir(paths);
    try {
      this.identity = await readIdentity(paths.identity);
      if (!this.identity && !c.enrollmentToken) {
        throw new AgentConfigError('enrollmentToken', `needed to enroll: ${paths.identity} holds no identity yet`);
      }
      if (this.identity && this.identity.hostname !== c.hostname) {
        this.log.warn({ enrolledAs: this.identity.hostname }, 'the hostname differs from the one enrolled with; the server keeps the enrolled identity');
      }
      const [bootId, journal] = await Promise.all([readBootId(), FinishedJournal.open(paths.finishedJournal)]);
      this.executor = new Executor({ tmpDir: paths.tmp, hostname: c.hostname, maxTasks: c.maxTasks, killGraceMs: c.killGraceMs });
      this.tasks = new AssignedTasks({
        executor: this.executor,
        store: new TaskRecordStore(paths.tasks),
        journal,
        outlet: this.outlet(),
        logger: this.log,
        bootId,
        killGraceMs: c.killGraceMs ?? 5_000,
      });
      const recovered = await this.tasks.recover();
      if (recovered.pending > 0) this.log.info(recovered, 'results from an earlier run will be sent once connected');
      // Scratch dirs of an earlier run are litter now: recover() stopped whatever still ran.
      await rm(paths.tmp, { recursive: true, force: true });
      await this.host.init();
      this.client = createAgentClient({ ...c.server, ca: await readCaFile(c.caFile), serverName: c.serverName, protoPath: c.protoPath });
    } catch (err) {
      await this.releaseLock();
      this.phase = 'stopped';
      throw err;
    }
    if (this.stopSignal.signal.aborted) {
      // stop() came while starting: shutdown() has run; close what start() opened since.
      this.client.close();
      await this.releaseLock();
      return;
    }
    this.factsTimer = setInterval(() => void this.checkFacts(), c.factsIntervalMs);
    void this.run();
  }

  stop(options: { graceMs?: number } = {}): Promise<AgentExit> {
    return this.shutdown({ reason: 'stopped' }, options.graceMs ?? this.config.stopGraceMs);
  }

  status(): AgentStatus {
    const counts = this.tasks?.counts() ?? { running: 0, queued: 0 };
    return {
      phase: this.phase,
      agentId: this.identity?.agentId,
      hostname: this.config.hostname,
      runningTasks: counts.running,
      queuedTasks: counts.queued,
      pendingResults: this.tasks?.pendingResults().length ?? 0,
      sessions: this.sessions,
    };
  }

  /** Enroll if needed, then keep one session open, reconnecting with backoff, until stopped or refused. */
  private async run(): Promise<void> {
    const signal = this.stopSignal.signal;
    try {
      if (!this.identity) {
        this.phase = 'enrolling';
        this.identity = await enrollUntilDone({
          client: this.client as AgentServiceClient,
          token: this.config.enrollmentToken ?? '',
          hostname: this.config.hostname,
          host: this.host,
          identityPath: this.paths.identity,
          enrollmentRequestPath: this.paths.enrollmentRequest,
          backoff: this.backoff,
          log: this.log,
          signal,
          onCall: (call) => (this.enrollCall = call),
        });
      }
      while (this.identity && !signal.aborted) {
        this.phase = 'connecting';
        const end = await this.connectOnce(this.identity);
        if (end.kind === 'stopped' || signal.aborted) return;
        if (end.kind === 'revoked') {
          await this.shutdown({ reason: 'revoked', message: `the server revoked this agent (${end.reason || 'no reason given'}); enroll it again with a new token` }, 0);
          return;
        }
        if (end.kind === 'refused') {
          const message = `the server refused this agent's identity (${end.details || `gRPC status ${end.code}`}); move ${this.paths.identity} away and enroll again with a new token`;
          await this.shutdown({ reason: 'identity-refused', message }, 0);
          return;
        }
        const retryInMs = this.backoff.next();
        this.log.warn({ code: end.code, details: end.details, retryInMs }, 'disconnected from the server; reconnecting');
        await pause(retryInMs, signal);
      }
    } catch (err) {
      const exit: AgentExit =
        err instanceof EnrollRefusedError ? { reason: 'enroll-refused', message: err.message } : { reason: 'failed', message: errorMessage(err) };
      await this.shutdown(exit, 0);
    }
  }

  private async connectOnce(identity: AgentIdentity): Promise<SessionEnd> {
    const session = new AgentSession(this.client as AgentServiceClient, (m) => this.onServerMessage(session, m));
    this.session = session;
    this.welcomed = false;
    const tasks = this.tasks as AssignedTasks;
    session.send({
      hello: {
        agentId: identity.agentId,
        agentSecret: identity.agentSecret,
        agentVersion: AGENT_VERSION,
        hostname: this.config.hostname,
        factsHash: this.host.factsHash,
        runningTaskIds: tasks.unfinishedIds(),
        maxTasks: this.config.maxTasks,
      },
    });
    const welcomeTimer = setTimeout(() => {
      if (!this.welcomed) session.fail('the server sent no Welcome');
    }, WELCOME_TIMEOUT_MS);
    const end = await session.ended;
    clearTimeout(welcomeTimer);
    this.clearSessionTimers();
    this.session = undefined;
    this.welcomed = false;
    if (this.phase === 'connected') this.phase = 'connecting';
    return end;
  }

  private onServerMessage(session: AgentSession, m: ReceivedServerMessage): void {
    if (session !== this.session) return;
    const tasks = this.tasks as AssignedTasks;
    switch (m.body) {
      case 'welcome':
        this.onWelcome(session, m.welcome);
        break;
      case 'taskAssign':
        void this.onAssign(session, m.messageId, m.taskAssign);
        break;
      case 'taskKill': {
        const error = tasks.kill(m.taskKill.taskId);
        this.log.info({ taskId: m.taskKill.taskId, by: m.taskKill.reason, error: error || undefined }, 'kill requested');
        session.send({ ack: { messageId: m.messageId, error } });
        break;
      }
      case 'resultAck':
        void tasks.acknowledge(m.resultAck.taskId);
        break;
      case 'revoked':
        session.revoke(m.revoked.reason);
        break;
      case 'error':
        this.log.warn({ code: m.error.code, message: m.error.message, fatal: m.error.fatal }, 'the server reported an error');
        break;
    }
  }

  /**
   * The session is up: Facts if the server's copy is stale, every result
   * still waiting for its ack, then a heartbeat and metrics at once and on
   * their intervals.
   */
  private onWelcome(session: AgentSession, w: WireWelcome): void {
    if (this.welcomed) return;
    this.welcomed = true;
    this.sessions++;
    if (!this.stopping) this.phase = 'connected';
    this.backoff.reset();
    const tasks = this.tasks as AssignedTasks;
    this.log.info({ agentId: this.identity?.agentId, sendFacts: w.sendFacts, pendingResults: tasks.pendingResults().length }, 'connected');
    if (w.abandonedTaskIds.length > 0) {
      this.log.info({ tasks: w.abandonedTaskIds }, 'the server abandoned tasks: killing them');
      tasks.abandon(w.abandonedTaskIds);
    }
    if (w.sendFacts) this.sendFacts(session);
    tasks.resendPending();
    this.sendHeartbeat(session);
    void this.sendMetrics(session);
    const heartbeatMs = w.heartbeatIntervalSec > 0 ? w.heartbeatIntervalSec * 1000 : this.config.heartbeatIntervalMs;
    const metricsMs = w.metricsIntervalSec > 0 ? w.metricsIntervalSec * 1000 : this.config.metricsIntervalMs;
    this.sessionTimers.push(
      setInterval(() => {
        this.sendHeartbeat(session);
        tasks.resendPending(RESULT_RESEND_MS);
      }, heartbeatMs),
      setInterval(() => void this.sendMetrics(session), metricsMs),
    );
  }

  private async onAssign(session: AgentSession, messageId: string, assign: WireTaskAssign): Promise<void> {
    const error = await (this.tasks as AssignedTasks).assign(fromWireAssign(assign));
    // Never the script, env or params: they may hold secrets.
    if (error) this.log.warn({ taskId: assign.taskId, error }, 'task refused');
    else this.log.info({ taskId: assign.taskId }, 'task accepted');
    // If the session broke meanwhile the server re-sends the assignment, and it is answered from what is known.
    session.send({ ack: { messageId, error } });
  }

  private outlet(): TaskOutlet {
    return {
      sendResult: (result) => {
        if (this.session && this.welcomed) this.session.send({ taskResult: toWireResult(result) });
      },
      sendOutput: (taskId, chunk) => {
        const session = this.session;
        if (!session || !this.welcomed) return;
        if (!session.send({ taskOutput: toWireOutput(taskId, chunk) })) return session.writable();
      },
    };
  }

  private sendFacts(session: AgentSession): void {
    session.send({ facts: toWireFacts(this.host.facts, this.host.factsHash) });
  }

  private sendHeartbeat(session: AgentSession): void {
    const counts = (this.tasks as AssignedTasks).counts();
    session.send({ heartbeat: { sentAtUnixMs: Date.now(), runningTasks: counts.running, queuedTasks: counts.queued } });
  }

  private async sendMetrics(session: AgentSession): Promise<void> {
    try {
      const metrics = await this.host.sampleMetrics();
      if (metrics && session === this.session) session.send({ metrics: toWireMetrics(metrics) });
    } catch (err) {
      this.log.warn({ error: errorMessage(err) }, 'cannot sample metrics');
    }
  }

  /** Facts are re-collected now and then and sent only when their hash changed (seed 3.6). */
  private async checkFacts(): Promise<void> {
    try {
      if (!(await this.host.refresh())) return;
      this.log.info({ factsHash: this.host.factsHash }, 'host facts changed');
      if (this.session && this.welcomed) this.sendFacts(this.session);
    } catch (err) {
      this.log.warn({ error: errorMessage(err) }, 'cannot collect host facts');
    }
  }

  private clearSessionTimers(): void {
    for (const t of this.sessionTimers) clearInterval(t);
    this.sessionTimers = [];
  }

  /** One way down for every reason; the first reason wins. */
  private shutdown(exit: AgentExit, graceMs: number): Promise<AgentExit> {
    this.stopping ??= (async () => {
      const wasRunning = this.phase !== 'created';
      this.phase = 'stopping';
      this.stopSignal.abort();
      this.enrollCall?.cancel();
      clearInterval(this.factsTimer);
      if (exit.reason === 'stopped') this.log.info({ graceMs }, 'stopping');
      else this.log.error({ reason: exit.reason }, exit.message);
      if (this.tasks) {
        await this.tasks.stop(graceMs);
        const session = this.session;
        if (session && this.welcomed) await Promise.race([this.tasks.whenAllAcked(STOP_ACK_WAIT_MS), session.ended]);
      }
      this.session?.close();
      this.clearSessionTimers();
      this.client?.close();
      if (wasRunning) await this.releaseLock?.();
      this.phase = 'stopped';
      this.resolveDone(exit);
      return exit;
    })();
    return this.stopping;
  }
}

async function readCaFile(path: string | undefined): Promise<Buffer | undefined> {
  if (path === undefined) return undefined;
  try {
    return await readFile(path);
  } catch (err) {
    throw new AgentConfigError('caFile', `cannot read ${path}: ${errorMessage(err)}`);
  }
}

const errorMessage = (err: unknown) => (err instanceof Error ? err.message : String(err));
