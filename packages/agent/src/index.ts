/**
 * @opsline/agent: the host agent as a library — `createAgent(options)` runs
 * one agent (enrollment, the gRPC session with reconnects, facts and
 * metrics, durable task execution); many can share one process. `runAgentCli`
 * is the command line around it. The protocol's shapes and channel settings
 * are exported so the server side pairs with them.
 */
export { createAgent, type Agent, type AgentExit, type AgentPhase, type AgentStatus } from './agent.js';
export { runAgentCli, parseAgentArgs, EXIT as AGENT_EXIT_CODES, USAGE as AGENT_USAGE } from './cli.js';
export {
  resolveAgentConfig,
  parseServerAddress,
  AgentConfigError,
  DEFAULT_STATE_DIR,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_GRPC_PORT,
  type AgentOptions,
  type AgentConfig,
} from './config.js';
export { createJsonLogger, silentLogger, type Logger, type LogLevel } from './logger.js';
export { AGENT_VERSION } from './version.js';
export { AGENT_CHANNEL_OPTIONS } from './transport/channel.js';
export { PROTO_LOADER_OPTIONS, loadAgentService, defaultProtoPath } from './transport/proto.js';
export type * from './transport/messages.js';
export * from './executor/index.js';
