import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import type { FastifyBaseLogger } from 'fastify';
import { serverPackageRoot } from '../../platform/db/paths.js';
import { uuidv7 } from '../../platform/ids.js';
import type { AgentLink, AgentSessions } from './agent-sessions.js';
import type { SeenWriter } from './agent-seen.js';
import { AgentRefused, type AgentService } from './agent.service.js';
import type { ExecService } from './exec.service.js';
import { factsFromProto, metricsFromProto, resultFromProto, toTaskAssign, type AgentMessage, type ServerMessage } from './proto-codec.js';

export const protoPath = (): string => join(serverPackageRoot(), '..', '..', 'proto', 'agent', 'v1', 'agent.proto');

/**
 * Keepalive paired with the agent's: agents ping at most every 30 s even
 * without calls; the server allows pings 10 s apart so it never answers
 * too_many_pings (seed 6.10), and pings idle agents itself every 60 s.
 */
const SERVER_OPTIONS: grpc.ServerOptions = {
  'grpc.keepalive_time_ms': 60_000,
  'grpc.keepalive_timeout_ms': 20_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 10_000,
  'grpc.max_receive_message_length': 8 * 1024 * 1024,
};

/** Messages of one agent waiting to be handled before its stream is paused, and resumed. */
const PAUSE_AT = 32;
const RESUME_AT = 8;

/** Missed heartbeats after which a silent stream is closed and the agent counts as offline. */
const SILENCE_LIMIT_MS = 75_000;

interface Deps {
  agents: AgentService;
  exec: ExecService;
  sessions: AgentSessions;
  seen: SeenWriter;
  log: FastifyBaseLogger;
  /** Hosts go online/offline with their agents. */
  hostOnline: (hostId: string, online: boolean) => Promise<void>;
}

type Stream = grpc.ServerDuplexStream<AgentMessage, ServerMessage>;

function loadService(): grpc.ServiceDefinition {
  // The agent's own loader options (PROTO_LOADER_OPTIONS in @opsline/agent): both sides read the same shapes.
  const def = protoLoader.loadSync(protoPath(), { keepCase: false, longs: Number, enums: String, bytes: Buffer, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { opsline: { agent: { v1: { AgentService: { service: grpc.ServiceDefinition } } } } };
  return pkg.opsline.agent.v1.AgentService.service;
}

const peerAddress = (peer: string): string => peer.replace(/^ipv[46]:/, '').replace(/:\d+$/, '').replace(/^\[|\]$/g, '');

/** The AgentService: enrollment, and one session per connected agent. */
export function createAgentGrpcServer(deps: Deps) {
  const server = new grpc.Server(SERVER_OPTIONS);

  const enroll: grpc.handleUnaryCall<Record<string, unknown>, Record<string, unknown>> = (call, callback) => {
    const req = call.request as {
      enrollmentToken: string; hostname: string; machineId: string; agentVersion: string; enrollmentId: string; facts?: Parameters<typeof factsFromProto>[0];
    };
    const facts = factsFromProto(req.facts, req.hostname);
    deps.agents.enroll({
      token: req.enrollmentToken, machineId: req.machineId, version: req.agentVersion, facts, factsHash: req.facts?.factsHash ?? '', peer: peerAddress(call.getPeer()),
      enrollmentId: req.enrollmentId,
    }).then(
      (r) => callback(null, { agentId: r.agentId, agentSecret: r.secret, nodeId: r.nodeId ?? '' }),
      (err: unknown) => {
        if (err instanceof AgentRefused) callback({ code: grpc.status.UNAUTHENTICATED, details: err.message });
        else {
          deps.log.error({ err }, 'agent enrollment failed');
          callback({ code: grpc.status.INTERNAL, details: 'enrollment failed on the server; see its log' });
        }
      },
    );
  };

  const connect = (stream: Stream): void => {
    let link: AgentLink | undefined;
    let agent: Awaited<ReturnType<AgentService['authenticate']>> | undefined;
    let silence: NodeJS.Timeout | undefined;
    const send = (msg: Omit<ServerMessage, 'messageId'>): void => {
      if (!stream.writableEnded) stream.write({ messageId: uuidv7(), ...msg });
    };
    const refuse = (code: grpc.status, message: string, revoked = false): void => {
      if (revoked) send({ revoked: { reason: message } });
      stream.emit('error', { code, details: message });
      stream.end();
    };
    const heard = (): void => {
      clearTimeout(silence);
      silence = setTimeout(() => {
        deps.log.warn({ agentId: agent?.id }, 'agent silent too long; closing its stream');
        stream.end();
      }, SILENCE_LIMIT_MS);
      silence.unref();
    };
    // Messages are handled one at a time, in order: a result never overtakes its output. A stream
    // that sends faster than it is handled is paused (HTTP/2 flow control then holds the agent back),
    // so a task printing a gigabyte never piles up in the server's memory.
    let queue = Promise.resolve();
    let waiting = 0;
    stream.on('data', (msg: AgentMessage) => {
      if (++waiting >= PAUSE_AT) stream.pause();
      queue = queue
        .then(() => handle(msg))
        .catch((err: unknown) => deps.log.error({ err, agentId: agent?.id }, 'agent message failed'))
        .finally(() => {
          if (--waiting <= RESUME_AT && stream.isPaused()) stream.resume();
        });
    });
    stream.on('error', () => undefined);
    stream.on('close', () => {
      clearTimeout(silence);
      if (!link || !deps.sessions.remove(link) || !agent) return;
      const { id, hostId } = agent;
      void deps.agents.disconnected(id).catch((err: unknown) => deps.log.warn({ err, agentId: id }, 'could not record an agent\'s disconnection'));
      if (hostId) void deps.hostOnline(hostId, false).catch(() => undefined);
    });
    stream.on('end', () => stream.end());

    async function handle(msg: AgentMessage): Promise<void> {
      heard();
      if (!agent) {
        if (!msg.hello) return refuse(grpc.status.FAILED_PRECONDITION, 'the first message must be Hello');
        try {
          agent = await deps.agents.authenticate(msg.hello.agentId, msg.hello.agentSecret);
        } catch (err) {
          if (!(err instanceof AgentRefused)) throw err;
          return refuse(err.reason === 'revoked' ? grpc.status.PERMISSION_DENIED : grpc.status.UNAUTHENTICATED, err.message, err.reason === 'revoked');
        }
        const id = agent.id;
        link = {
          agentId: id,
          assign: (task) => send({ taskAssign: toTaskAssign(task) }),
          kill: (taskId, reason) => send({ taskKill: { taskId, reason } }),
          ackResult: (taskId) => send({ resultAck: { taskId } }),
          close: (reason) => refuse(grpc.status.PERMISSION_DENIED, reason, reason.startsWith('revoked')),
        };
        deps.sessions.add(link);
        await deps.agents.connected(agent, msg.hello.agentVersion);
        if (agent.hostId) await deps.hostOnline(agent.hostId, true);
        const abandoned = await deps.exec.agentConnected(id, msg.hello.runningTaskIds);
        send({
          welcome: {
            serverTimeUnixMs: Date.now(), sendFacts: msg.hello.factsHash !== agent.factsHash, heartbeatIntervalSec: 0, metricsIntervalSec: 0,
            abandonedTaskIds: abandoned,
          },
        });
        return;
      }
      if (msg.facts) {
        await deps.agents.facts(agent, factsFromProto(msg.facts, agent.hostname), msg.facts.factsHash);
      } else if (msg.heartbeat) {
        deps.seen.note(agent.id);
      } else if (msg.metrics) {
        deps.seen.note(agent.id, metricsFromProto(msg.metrics));
      } else if (msg.taskOutput) {
        const o = msg.taskOutput;
        await deps.exec.agentOutput(agent.id, o.taskId, { stream: o.stream === 'OUTPUT_STREAM_STDERR' ? 'stderr' : 'stdout', offset: o.offset, data: o.data.toString('utf8') });
      } else if (msg.taskResult) {
        const result = resultFromProto(msg.taskResult);
        // Acknowledged once stored (or when it is a repeat, or not this agent's): the agent may forget it.
        await deps.exec.agentResult(agent.id, result);
        link?.ackResult(result.taskId);
      }
    }
  };

  server.addService(loadService(), { enroll, connect });

  return {
    /** Binds and starts; answers the port (useful with port 0). */
    listen(host: string, port: number, tls?: { cert: Buffer; key: Buffer }): Promise<number> {
      const credentials = tls ? grpc.ServerCredentials.createSsl(null, [{ cert_chain: tls.cert, private_key: tls.key }], false) : grpc.ServerCredentials.createInsecure();
      return new Promise((resolve, reject) => {
        server.bindAsync(`${host.includes(':') ? `[${host}]` : host}:${port}`, credentials, (err, bound) => (err ? reject(err) : resolve(bound)));
      });
    },
    close(): Promise<void> {
      return new Promise((resolve) => {
        server.tryShutdown(() => resolve());
        // Streams of connected agents never end on their own: force them after a moment.
        setTimeout(() => server.forceShutdown(), 2000).unref();
      });
    },
  };
}

export type AgentGrpcServer = ReturnType<typeof createAgentGrpcServer>;
