/** Most tasks print a few lines: start small and grow up to the capacity. */
const INITIAL_BYTES = 16 * 1024;

/**
 * The last `capacity` bytes of a stream, in one ring, plus the count of
 * everything ever pushed. Offsets are positions in the whole stream (0 = its
 * first byte), so a reader can ask for "from offset N" and learn how much was
 * overwritten meanwhile.
 */
export class TailBuffer {
  /** Until it reaches `capacity` it only grows, and holds bytes 0… linearly; then it wraps. */
  private ring: Buffer;
  /** Bytes pushed in all; the next byte's stream offset. */
  private written = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.ring = Buffer.allocUnsafeSlow(Math.min(capacity, INITIAL_BYTES));
  }

  /** Bytes pushed in all, retained or not. */
  get total(): number {
    return this.written;
  }

  /** Stream offset of the oldest byte still held. */
  get start(): number {
    return Math.max(0, this.written - this.capacity);
  }

  push(data: Uint8Array): void {
    let src = data;
    // Only the last `capacity` bytes of an oversized write can survive.
    if (src.length > this.capacity) {
      this.written += src.length - this.capacity;
      src = src.subarray(src.length - this.capacity);
    }
    this.reserve(src.length);
    const size = this.ring.length;
    const at = this.written % size;
    const first = Math.min(src.length, size - at);
    this.ring.set(src.subarray(0, first), at);
    if (first < src.length) this.ring.set(src.subarray(first), 0);
    this.written += src.length;
  }

  /**
   * A copy of up to `maxBytes` bytes from stream offset `from` (clamped to
   * what is still held). Returns the offset the copy really starts at.
   */
  read(from: number, maxBytes: number): { offset: number; data: Buffer } {
    const offset = Math.min(Math.max(from, this.start), this.written);
    const length = Math.min(maxBytes, this.written - offset);
    const data = Buffer.allocUnsafe(length);
    const size = this.ring.length;
    const at = offset % size;
    const first = Math.min(length, size - at);
    this.ring.copy(data, 0, at, at + first);
    if (first < length) this.ring.copy(data, first, 0, length - first);
    return { offset, data };
  }

  /** Grows the ring so `incoming` more bytes fit without wrapping early. */
  private reserve(incoming: number): void {
    const size = this.ring.length;
    if (size === this.capacity || this.written + incoming <= size) return;
    // Not yet wrapped: the bytes held are ring[0, written).
    const grown = Buffer.allocUnsafeSlow(Math.min(this.capacity, Math.max(size * 2, this.written + incoming)));
    this.ring.copy(grown, 0, 0, this.written);
    this.ring = grown;
  }

  /** Everything still held, oldest first. */
  tail(): Buffer {
    return this.read(this.start, this.capacity).data;
  }
}

/**
 * Decodes a tail as UTF-8. When the tail was cut, its first bytes may be the
 * end of a multi-byte character: skip those rather than show U+FFFD.
 */
export function decodeTail(tail: Buffer, wasCut: boolean): string {
  let skip = 0;
  if (wasCut) {
    while (skip < 3 && skip < tail.length && ((tail[skip] ?? 0) & 0xc0) === 0x80) skip++;
  }
  return tail.toString('utf8', skip);
}
