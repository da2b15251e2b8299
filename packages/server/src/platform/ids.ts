import { randomBytes } from 'node:crypto';

/** The last id's time and sequence: ids made in one millisecond (or on a stopped test clock) still sort in the order they were made. */
let lastMs = 0;
let seq = 0;

/** Random bytes drawn in blocks: one call into the CSPRNG per 256 ids, not one per id. */
const POOL_SIZE = 16 * 256;
let pool = Buffer.alloc(0);
let poolAt = POOL_SIZE;
function random16(): Buffer {
  if (poolAt + 16 > pool.length) {
    pool = randomBytes(POOL_SIZE);
    poolAt = 0;
  }
  const out = Buffer.from(pool.subarray(poolAt, poolAt + 16));
  poolAt += 16;
  return out;
}

/**
 * UUID v7 (RFC 9562): time-ordered, so keyset paging by id follows creation
 * order. Monotonic within the process (RFC 9562 §6.2, method 1): the 12 bits
 * after the time are a counter while the time does not move forward; when it
 * runs out, the time is nudged by a millisecond. The last 62 bits are random.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = random16();
  let ms = now;
  if (ms <= lastMs) {
    ms = lastMs;
    seq++;
  }
  // A fresh millisecond (or a counter run out) starts the counter low (under 256), with room to count.
  if (ms > lastMs || seq > 0xfff) {
    if (ms <= lastMs) ms = lastMs + 1;
    seq = bytes[7] ?? 0;
  }
  lastMs = ms;
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (seq >> 8);
  bytes[7] = seq & 0xff;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
