import { randomUUID } from 'node:crypto';
import { Server, ServerCredentials, status as GrpcStatus, type ServerDuplexStream, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import type {
  EnrollRequest,
  EnrollResponse,
  ReceivedAgentMessage,
  ServerMessageBody,
  WireAck,
  WireFacts,
  WireHeartbeat,
  WireHello,
  WireMetrics,
  WireTaskAssign,
  WireTaskOutput,
  WireTaskResult,
} from './messages.js';
import { loadAgentService } from './proto.js';

/**
 * TEST HARNESS, not the Opsline server: a minimal AgentService on a real
 * grpc-js server, loaded from the same agent.proto, for the agent's transport
 * tests. It enrolls with known tokens, welcomes known agents (asking for
 * facts when the hash differs from the stored one), records every message,
 * assigns and kills tasks, acks results (or not, on demand), cuts streams,
 * restarts, and revokes.
 */

export interface HarnessAgent {
  agentId: string;
  secret: string;
  hostname: string;
  machineId: string;
  revoked: string | undefined;
  /** The facts hash the "server" has (from Enroll or the last Facts). */
  factsHash: string | undefined;
  hellos: WireHello[];
  facts: WireFacts[];
  heartbeats: WireHeartbeat[];
  metrics: WireMetrics[];
  acks: WireAck[];
}

type Stream = ServerDuplexStream<ReceivedAgentMessage, { messageId: string } & ServerMessageBody>;

export class TestAgentServer {
  readonly tokens = new Set<string>();
  readonly enrollments: EnrollRequest[] = [];
  readonly agents = new Map<string, HarnessAgent>();
  /** Every TaskOutput, by task id, in arrival order. */
  readonly outputs = new Map<string, WireTaskOutput[]>();
  /** Every TaskResult delivery, by task id (repeats included). */
  readonly deliveries = new Map<string, WireTaskResult[]>();
  /** The recorded result of each task: the first delivery only, as the real server records once. */
  readonly results = new Map<string, WireTaskResult>();
  /** When false, results are recorded but not acked (to test re-sending). */
  autoAck = true;
  /** This many Enroll calls are answered UNAVAILABLE first (a server too busy to answer in time). */
  unavailableEnrollments = 0;
  private readonly streams = new Map<string, Stream>();
  private server: Server;
  private port = 0;

  private constructor(private readonly credentials: ServerCredentials) {
    this.server = this.createServer();
  }

  static async start(options: { tls?: { key: Buffer; cert: Buffer } } = {}): Promise<TestAgentServer> {
    const creds = options.tls
      ? ServerCredentials.createSsl(null, [{ private_key: options.tls.key, cert_chain: options.tls.cert }], false)
      : ServerCredentials.createInsecure();
    const harness = new TestAgentServer(creds);
    harness.port = await harness.bind(0);
    return harness;
  }

  /** `grpc://127.0.0.1:<port>` (or grpcs://). */
  address(tls = false): string {
    return `${tls ? 'grpcs' : 'grpc'}://127.0.0.1:${this.port}`;
  }

  connected(agentId: string): boolean {
    return this.streams.has(agentId);
  }

  agent(agentId: string): HarnessAgent {
    const a = this.agents.get(agentId);
    if (!a) throw new Error(`no agent ${agentId}`);
    return a;
  }

  /** Sends a TaskAssign; returns its message id. */
  assign(agentId: string, task: Partial<WireTaskAssign> & { taskId: string }): string {
    return this.send(agentId, {
      taskAssign: { script: '', interpreter: '', args: [], env: {}, params: {}, runAs: '', workdir: '', timeoutSec: 60, ...task },
    });
  }

  kill(agentId: string, taskId: string): string {
    return this.send(agentId, { taskKill: { taskId, reason: 'test' } });
  }

  ackResult(agentId: string, taskId: string): void {
    this.send(agentId, { resultAck: { taskId } });
  }

  /** The agent's facts are "lost" on the server: the next Hello gets send_facts. */
  forgetFacts(agentId: string): void {
    this.agent(agentId).factsHash = undefined;
  }

  /** Revokes; a connected agent is told so and its stream ends. */
  revoke(agentId: string, reason = 'revoked by a test'): void {
    this.agent(agentId).revoked = reason;
    const stream = this.streams.get(agentId);
    if (stream) this.refuseRevoked(stream, reason);
  }

  /** Ends the agent's stream from the server side, as a proxy or a network cut would. */
  cut(agentId: string): void {
    const stream = this.streams.get(agentId);
    this.streams.delete(agentId);
    stream?.emit('error', { code: GrpcStatus.UNAVAILABLE, details: 'cut by the test' });
  }

  /** Drops every connection and listens again on the same port, keeping what it recorded (a server restart). */
  async restart(): Promise<void> {
    this.server.forceShutdown();
    this.streams.clear();
    this.server = this.createServer();
    await this.bind(this.port);
  }

  stop(): void {
    this.server.forceShutdown();
    this.streams.clear();
  }

  private createServer(): Server {
    const server = new Server();
    server.addService(loadAgentService().service, {
      Enroll: (call: ServerUnaryCall<EnrollRequest, EnrollResponse>, callback: sendUnaryData<EnrollResponse>) => this.enroll(call, callback),
      Connect: (call: Stream) => this.connect(call),
    });
    return server;
  }

  private bind(port: number): Promise<number> {
    return new Promise((resolve, reject) =>
      this.server.bindAsync(`127.0.0.1:${port}`, this.credentials, (err, bound) => (err ? reject(err) : resolve(bound))),
    );
  }

  private enroll(call: ServerUnaryCall<EnrollRequest, EnrollResponse>, callback: sendUnaryData<EnrollResponse>): void {
    const req = call.request;
    this.enrollments.push(req);
    if (this.unavailableEnrollments > 0) {
      this.unavailableEnrollments--;
      callback({ code: GrpcStatus.UNAVAILABLE, details: 'busy' });
      return;
    }
    if (!this.tokens.has(req.enrollmentToken)) {
      callback({ code: GrpcStatus.UNAUTHENTICATED, details: 'unknown or expired enrollment token' });
      return;
    }
    const agentId = randomUUID();
    const secret = randomUUID();
    this.agents.set(agentId, {
      agentId,
      secret,
      hostname: req.hostname,
      machineId: req.machineId,
      revoked: undefined,
      factsHash: req.facts.factsHash || undefined,
      hellos: [],
      facts: [],
      heartbeats: [],
      metrics: [],
      acks: [],
    });
    callback(null, { agentId, agentSecret: secret, nodeId: 'node-test' });
  }

  private connect(stream: Stream): void {
    let agent: HarnessAgent | undefined;
    stream.on('error', () => undefined);
    stream.on('end', () => {
      if (agent && this.streams.get(agent.agentId) === stream) this.streams.delete(agent.agentId);
      stream.end();
    });
    stream.on('data', (m: ReceivedAgentMessage) => {
      if (!agent) {
        if (m.body !== 'hello') return stream.emit('error', { code: GrpcStatus.FAILED_PRECONDITION, details: 'Hello first' });
        const known = this.agents.get(m.hello.agentId);
        if (!known || known.secret !== m.hello.agentSecret) {
          return stream.emit('error', { code: GrpcStatus.UNAUTHENTICATED, details: 'unknown agent or wrong secret' });
        }
        known.hellos.push(m.hello);
        if (known.revoked !== undefined) return this.refuseRevoked(stream, known.revoked);
        agent = known;
        this.streams.get(agent.agentId)?.end();
        this.streams.set(agent.agentId, stream);
        const welcome = { serverTimeUnixMs: Date.now(), sendFacts: m.hello.factsHash !== agent.factsHash, heartbeatIntervalSec: 0, metricsIntervalSec: 0, abandonedTaskIds: [] };
        stream.write({ messageId: randomUUID(), welcome });
        return;
      }
      this.receive(agent, stream, m);
    });
  }

  private receive(agent: HarnessAgent, stream: Stream, m: ReceivedAgentMessage): void {
    switch (m.body) {
      case 'hello':
        return;
      case 'facts':
        agent.facts.push(m.facts);
        agent.factsHash = m.facts.factsHash;
        return;
      case 'heartbeat':
        agent.heartbeats.push(m.heartbeat);
        return;
      case 'metrics':
        agent.metrics.push(m.metrics);
        return;
      case 'taskOutput': {
        const list = this.outputs.get(m.taskOutput.taskId) ?? [];
        list.push(m.taskOutput);
        this.outputs.set(m.taskOutput.taskId, list);
        return;
      }
      case 'taskResult': {
        const r = m.taskResult;
        const list = this.deliveries.get(r.taskId) ?? [];
        list.push(r);
        this.deliveries.set(r.taskId, list);
        if (!this.results.has(r.taskId)) this.results.set(r.taskId, r);
        if (this.autoAck) stream.write({ messageId: randomUUID(), resultAck: { taskId: r.taskId } });
        return;
      }
      case 'ack':
        agent.acks.push(m.ack);
        return;
    }
  }

  private refuseRevoked(stream: Stream, reason: string): void {
    stream.write({ messageId: randomUUID(), revoked: { reason } });
    stream.emit('error', { code: GrpcStatus.PERMISSION_DENIED, details: 'agent revoked' });
  }

  private send(agentId: string, body: ServerMessageBody): string {
    const stream = this.streams.get(agentId);
    if (!stream) throw new Error(`agent ${agentId} is not connected`);
    const messageId = randomUUID();
    stream.write({ messageId, ...body });
    return messageId;
  }
}
