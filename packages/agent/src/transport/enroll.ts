import { Metadata, status as GrpcStatus, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';
import type { AgentServiceClient } from './channel.js';
import type { EnrollRequest, EnrollResponse } from './messages.js';

/** The server said no to the token: retrying with it cannot help. */
export class EnrollRefusedError extends Error {
  override readonly name = 'EnrollRefusedError';
}

/** Statuses that mean "this token will not do", as opposed to "the server is not there right now". */
const REFUSALS = new Set<number>([
  GrpcStatus.UNAUTHENTICATED,
  GrpcStatus.PERMISSION_DENIED,
  GrpcStatus.INVALID_ARGUMENT,
  GrpcStatus.FAILED_PRECONDITION,
  GrpcStatus.NOT_FOUND,
]);

export const ENROLL_DEADLINE_MS = 15_000;

/**
 * One Enroll call. Rejects with {@link EnrollRefusedError} when the token is
 * refused, with the gRPC error otherwise (the caller retries those).
 * `onCall` receives the call so a stopping agent can cancel it.
 */
export function enroll(client: AgentServiceClient, request: EnrollRequest, onCall?: (call: ClientUnaryCall) => void): Promise<EnrollResponse> {
  return new Promise((resolve, reject) => {
    const call = client.Enroll(request, new Metadata(), { deadline: Date.now() + ENROLL_DEADLINE_MS }, (err: ServiceError | null, response?: EnrollResponse) => {
      if (err) {
        reject(REFUSALS.has(err.code) ? new EnrollRefusedError(`enrollment refused by the server: ${err.details || err.message}`) : err);
      } else if (!response?.agentId || !response.agentSecret) {
        reject(new EnrollRefusedError('enrollment answer carries no agent id or secret'));
      } else {
        resolve(response);
      }
    });
    onCall?.(call);
  });
}
