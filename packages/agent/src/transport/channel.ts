import {
  credentials,
  type CallOptions,
  type ChannelOptions,
  type Client,
  type ClientDuplexStream,
  type ClientUnaryCall,
  type Metadata,
  type ServiceError,
} from '@grpc/grpc-js';
import type { AgentMessage, EnrollRequest, EnrollResponse, ReceivedServerMessage } from './messages.js';
import { loadAgentService } from './proto.js';

/**
 * The agent's channel options. Keepalive is paired with the server (seed
 * 6.10, too_many_pings): a server that polices pings answers pings more
 * frequent than it permits with GOAWAY "too_many_pings" and drops the
 * connection, so:
 *   - the agent pings every 30 s, and only while a call is open (the Connect
 *     stream is open whenever the agent is connected);
 *   - the server must permit that: grpc-js servers do not police pings; a
 *     grpc-go server (or a proxy) needs a minimum ping interval ≤ 30 s
 *     (EnforcementPolicy{MinTime: 20s, PermitWithoutStream: false});
 *   - the server may ping agents itself (grpc-js server `grpc.keepalive_time_ms`
 *     60 s, `grpc.keepalive_timeout_ms` 20 s) to notice dead hosts; clients
 *     never police pings.
 * Liveness in the console comes from Heartbeat messages, not from pings.
 */
export const AGENT_CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 10_000,
  'grpc.keepalive_permit_without_calls': 0,
  // A TaskAssign may carry a 1 MiB script plus args, env and params up to their limits.
  'grpc.max_receive_message_length': 32 * 1024 * 1024,
  'grpc.initial_reconnect_backoff_ms': 500,
  'grpc.max_reconnect_backoff_ms': 30_000,
  // Each agent its own connection, as on a real host, also when one process runs many (bench, tests).
  'grpc.use_local_subchannel_pool': 1,
};

/** The AgentService client: methods as grpc-js generates them from the proto. */
export interface AgentServiceClient extends Client {
  Enroll(
    request: EnrollRequest,
    metadata: Metadata,
    options: CallOptions,
    callback: (err: ServiceError | null, response?: EnrollResponse) => void,
  ): ClientUnaryCall;
  Connect(options?: CallOptions): ClientDuplexStream<AgentMessage, ReceivedServerMessage>;
}

export interface ChannelSettings {
  target: string;
  tls: boolean;
  /** PEM CA bundle to trust instead of the system's. */
  ca?: Buffer;
  /** The name the server certificate must carry, when it differs from the target's host. */
  serverName?: string;
  protoPath?: string;
}

export function createAgentClient(settings: ChannelSettings): AgentServiceClient {
  const { Client } = loadAgentService(settings.protoPath);
  const options: ChannelOptions = { ...AGENT_CHANNEL_OPTIONS };
  if (!settings.tls) return new Client(settings.target, credentials.createInsecure(), options) as unknown as AgentServiceClient;
  if (settings.serverName) {
    options['grpc.ssl_target_name_override'] = settings.serverName;
    options['grpc.default_authority'] = settings.serverName;
  }
  return new Client(settings.target, credentials.createSsl(settings.ca), options) as unknown as AgentServiceClient;
}
