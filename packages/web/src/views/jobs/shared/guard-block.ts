import type { GuardVerdict } from '@opsline/contracts';
import { ApiError } from '../../../api/client';

/**
 * A run refused by the dangerous-command guard (403 GUARD_BLOCKED) as a
 * verdict to show, from the matches the refusal's details carry; null for any other error.
 */
export function blockedVerdict(err: unknown): GuardVerdict | null {
  if (!(err instanceof ApiError) || err.code !== 'GUARD_BLOCKED') return null;
  const details = err.details as { matches?: unknown } | undefined;
  const matches = Array.isArray(details?.matches) ? (details.matches as GuardVerdict['matches']) : [];
  return { action: 'block', matches };
}
