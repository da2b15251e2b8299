import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadPackageDefinition, type ServiceClientConstructor, type ServiceDefinition } from '@grpc/grpc-js';
import { loadSync, type Options } from '@grpc/proto-loader';

/**
 * How both ends load agent.proto. The server must use the same options (or
 * at least `longs: Number`, `enums: String`, `defaults: true`, `oneofs: true`)
 * for the shapes in messages.ts to hold.
 */
export const PROTO_LOADER_OPTIONS: Options = { keepCase: false, longs: Number, enums: String, defaults: true, oneofs: true, bytes: Buffer };

/**
 * Where agent.proto is looked for: the repository's copy (source and tests),
 * then beside the running file (a bundled agent ships it next to itself).
 */
const CANDIDATES = [
  new URL('../../../../proto/agent/v1/agent.proto', import.meta.url),
  new URL('./agent.proto', import.meta.url),
].map((u) => fileURLToPath(u));

export function defaultProtoPath(): string {
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`agent.proto not found (looked in ${CANDIDATES.join(', ')}); pass protoPath`);
  return found;
}

export interface AgentServiceDefinition {
  Client: ServiceClientConstructor;
  service: ServiceDefinition;
}

/** Parsed once per path: a process may run a thousand agents. */
const loaded = new Map<string, AgentServiceDefinition>();

export function loadAgentService(protoPath = defaultProtoPath()): AgentServiceDefinition {
  let def = loaded.get(protoPath);
  if (!def) {
    const pkg = loadPackageDefinition(loadSync(protoPath, PROTO_LOADER_OPTIONS)) as unknown as {
      opsline: { agent: { v1: { AgentService: ServiceClientConstructor } } };
    };
    const Client = pkg.opsline.agent.v1.AgentService;
    def = { Client, service: Client.service };
    loaded.set(protoPath, def);
  }
  return def;
}
