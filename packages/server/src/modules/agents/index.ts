import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { ExecBody, type ExecTaskInput, type TaskResult } from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { AgentSessions } from './agent-sessions.js';
import { createSeenWriter } from './agent-seen.js';
import { agentRoutes } from './agent.routes.js';
import { createAgentService } from './agent.service.js';
import { execRoutes } from './exec.routes.js';
import { createExecService, type ExecService } from './exec.service.js';
import { createAgentGrpcServer } from './grpc-server.js';
import { createSshCredentialService } from './ssh-credentials.js';
import { sshCredentialRoutes } from './ssh-credential.routes.js';
import { installRoutes } from './install.routes.js';

/** How often a server looks for results of tasks it waits on that another server recorded. */
const SETTLE_MS = 2_000;

/** What other modules (the job center) and main.ts use of agents and remote execution. */
export interface AgentsModule {
  /** Starts the agents' gRPC endpoint; answers the bound port (0 picks one). */
  listen(host: string, port: number): Promise<number>;
  /** Runs a task on a host as `userId` and waits for its result. */
  run(hostId: string, task: ExecTaskInput, userId: string): Promise<TaskResult>;
  /** How many agents are connected to this server. */
  connectedCount(): number;
  /** How many agents are online (on any server), offline and revoked. */
  counts(): Promise<{ online: number; offline: number; revoked: number }>;
  /** The execution layer, for the job center: reach hosts, launch tasks in its own transaction, wait for and kill them. */
  exec: Pick<ExecService, 'reach' | 'launch' | 'heldHere' | 'waitForResult' | 'killHere' | 'get'>;
}

export function registerAgentsModule(app: FastifyInstance, platform: PlatformServices, tree: TreeModule): AgentsModule {
  const sessions = new AgentSessions();
  let grpcPort = platform.config.grpcPort;
  const agents = createAgentService({ platform, tree, serverId: randomUUID(), grpcPort: () => grpcPort });
  const ssh = createSshCredentialService({ platform });
  const exec = createExecService({ platform, tree, sessions, ssh });
  const seen = createSeenWriter({ db: platform.db, clock: platform.clock, log: platform.log });
  const grpc = createAgentGrpcServer({
    agents, exec, sessions, seen, log: platform.log,
    hostOnline: (hostId, online) => tree.setHostStatus([hostId], online ? 'online' : 'offline'),
  });
  agentRoutes(app, agents);
  execRoutes(app, platform, exec);
  sshCredentialRoutes(app, tree, ssh);
  installRoutes(app, () => grpcPort);
  // Events from this server and (on PostgreSQL) from the others: each acts on the agents it holds.
  platform.bus.subscribe((e) => {
    // A revoked agent is cut off at once, not at its next reconnect.
    if (e.type === 'agent.revoked' && e.resourceId) sessions.get(e.resourceId)?.close('revoked by an administrator');
    if (e.type === 'exec.started' && e.resourceId) {
      exec.dispatchRun(e.resourceId).catch((err: unknown) => platform.log.error({ err, runId: e.resourceId }, 'could not send a run\'s tasks'));
    }
    if (e.type === 'exec.task.killed') {
      const p = e.payload as { taskId: string; by: string };
      exec.killHere(p.taskId, p.by);
    }
  });
  // Several servers: a task's result may be recorded by another one (its agent's stream is there).
  const settle = platform.dbKind === 'postgres' ? setInterval(() => void exec.settleFromDatabase().catch((err: unknown) => platform.log.warn({ err }, 'could not look for results recorded elsewhere')), SETTLE_MS) : undefined;
  settle?.unref();
  // Before the database closes: agents cut off, then results and last-seen times being written are finished.
  app.addHook('preClose', async () => {
    clearInterval(settle);
    await grpc.close();
    await exec.drain();
    await seen.stop();
  });
  return {
    listen: async (host, port) => {
      const tls = platform.config.grpcTls;
      grpcPort = await grpc.listen(host, port, tls && { cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) });
      return grpcPort;
    },
    async run(hostId, task, userId) {
      const origin = { actorId: userId, actorName: 'system', sourceIp: '127.0.0.1', userAgent: null, method: 'CALL', path: 'agents.run' };
      const plan = await exec.plan(ExecBody.parse({ ...task, hostIds: [hostId] }), userId);
      const { taskIds } = await platform.mutations({ action: 'exec.start', origin, draft: { targetType: 'exec', targetId: null, before: null, after: null } }, (ctx) =>
        exec.start(ctx, plan),
      );
      const [taskId] = taskIds;
      if (!taskId) throw new Error('unreachable: one host, one task');
      return exec.waitForResult(taskId);
    },
    connectedCount: () => sessions.count(),
    counts: () => agents.counts(),
    exec,
  };
}
