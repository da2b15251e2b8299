import type { IngestRateLimit } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';

/**
 * Admission for the ingest URLs: a token bucket per integration and a cap on
 * deliveries in progress on this server. Both refuse with 503 and
 * Retry-After, never 429: Alertmanager drops a notification for good on any
 * 4xx, and retries a 5xx.
 */
export class IngestGate {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private inFlight = 0;

  constructor(private readonly maxInFlight: number) {}

  /** Takes a slot for a delivery, or refuses when the server already has too many going. */
  enter(): void {
    if (this.inFlight >= this.maxInFlight) throw busy(1, 'the server is busy with other deliveries');
    this.inFlight++;
  }

  leave(): void {
    this.inFlight--;
  }

  /** Takes a token from the integration's bucket, or refuses with the seconds until one is there. */
  take(integrationId: string, limit: IngestRateLimit, nowMs: number): void {
    const b = this.buckets.get(integrationId) ?? { tokens: limit.burst, at: nowMs };
    const tokens = Math.min(limit.burst, b.tokens + (Math.max(0, nowMs - b.at) / 1000) * limit.perSecond);
    const enough = tokens >= 1;
    this.buckets.set(integrationId, { tokens: enough ? tokens - 1 : tokens, at: nowMs });
    if (!enough) throw busy((1 - tokens) / limit.perSecond, `over this integration's rate limit (${limit.perSecond}/s, burst ${limit.burst})`);
  }
}

function busy(seconds: number, why: string): AppError {
  const retryAfter = Math.max(1, Math.ceil(seconds));
  return new AppError('INGEST_BUSY', `Busy: ${why}; retry after ${retryAfter} s`, { retryAfter }, { 'retry-after': String(retryAfter) });
}
