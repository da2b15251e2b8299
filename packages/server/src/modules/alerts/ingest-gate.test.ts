import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors/app-error.js';
import { IngestGate } from './ingest-gate.js';

const refusal = (fn: () => void): { status: number; retryAfter: string | undefined } => {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return { status: err.status, retryAfter: err.headers?.['retry-after'] };
    throw err;
  }
  throw new Error('not refused');
};

describe('ingest admission', () => {
  it('refuses past the deliveries one server works on at once with 503 and Retry-After, until one ends', () => {
    const gate = new IngestGate(2);
    gate.enter();
    gate.enter();
    expect(refusal(() => gate.enter())).toEqual({ status: 503, retryAfter: '1' });
    gate.leave();
    expect(() => gate.enter()).not.toThrow();
  });

  it('lets a burst through, then refills at the rate, telling how long to wait', () => {
    const gate = new IngestGate(10);
    const limit = { perSecond: 0.5, burst: 3 };
    for (let i = 0; i < 3; i++) gate.take('i', limit, 0);
    expect(refusal(() => gate.take('i', limit, 0))).toEqual({ status: 503, retryAfter: '2' });
    expect(refusal(() => gate.take('i', limit, 1_000))).toEqual({ status: 503, retryAfter: '1' });
    expect(() => gate.take('i', limit, 2_000)).not.toThrow();
    // Another integration has a bucket of its own.
    expect(() => gate.take('other', limit, 2_000)).not.toThrow();
  });
});
