import type { ClientUnaryCall } from '@grpc/grpc-js';
import type { HostReport } from './collectors/host-report.js';
import type { Logger } from './logger.js';
import { enrollmentRequestId, forgetEnrollmentRequest } from './state/enrollment-request.js';
import { writeIdentity, type AgentIdentity } from './state/identity.js';
import { pause, type Backoff } from './transport/backoff.js';
import type { AgentServiceClient } from './transport/channel.js';
import { enroll, EnrollRefusedError } from './transport/enroll.js';
import { toWireFacts } from './transport/wire.js';
import { AGENT_VERSION } from './version.js';

export interface EnrollmentContext {
  client: AgentServiceClient;
  token: string;
  hostname: string;
  host: HostReport;
  identityPath: string;
  /** Where the enrollment's id is kept until the identity is stored. */
  enrollmentRequestPath: string;
  backoff: Backoff;
  log: Logger;
  signal: AbortSignal;
  /** The call in flight, so stopping can cancel it. */
  onCall: (call: ClientUnaryCall | undefined) => void;
}

/**
 * Trades the enrollment token for an identity and stores it (0600) before
 * using it. An unreachable (or slow) server is retried with backoff, always
 * with the same enrollment id, so a retry whose first answer was lost gets
 * the same agent rather than a second one; a refusal throws
 * {@link EnrollRefusedError}. Undefined when the agent stopped first.
 */
export async function enrollUntilDone(x: EnrollmentContext): Promise<AgentIdentity | undefined> {
  const enrollmentId = await enrollmentRequestId(x.enrollmentRequestPath);
  while (!x.signal.aborted) {
    try {
      const { facts, factsHash } = x.host;
      const response = await enroll(
        x.client,
        { enrollmentToken: x.token, hostname: x.hostname, machineId: facts.machineId, facts: toWireFacts(facts, factsHash), agentVersion: AGENT_VERSION, enrollmentId },
        x.onCall,
      );
      const identity: AgentIdentity = {
        agentId: response.agentId,
        agentSecret: response.agentSecret,
        nodeId: response.nodeId,
        hostname: x.hostname,
        enrolledAt: Date.now(),
      };
      await writeIdentity(x.identityPath, identity);
      await forgetEnrollmentRequest(x.enrollmentRequestPath);
      x.log.info({ agentId: identity.agentId, nodeId: identity.nodeId }, 'enrolled');
      x.backoff.reset();
      return identity;
    } catch (err) {
      if (x.signal.aborted) return undefined;
      if (err instanceof EnrollRefusedError) throw err;
      const retryInMs = x.backoff.next();
      x.log.warn({ error: err instanceof Error ? err.message : String(err), retryInMs }, 'cannot enroll yet (server unreachable?); retrying');
      await pause(retryInMs, x.signal);
    } finally {
      x.onCall(undefined);
    }
  }
  return undefined;
}
