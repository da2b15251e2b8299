import { describe, expect, it } from 'vitest';
import { decodeTail, TailBuffer } from './tail-buffer.js';

const bytes = (s: string) => Buffer.from(s);

describe('TailBuffer', () => {
  it('keeps the last bytes across the wrap and counts all of them', () => {
    const t = new TailBuffer(8);
    t.push(bytes('abcde'));
    t.push(bytes('fghij'));
    expect(t.total).toBe(10);
    expect(t.start).toBe(2);
    expect(t.tail().toString()).toBe('cdefghij');
    expect(t.read(4, 3)).toEqual({ offset: 4, data: bytes('efg') });
  });

  it('takes a write bigger than itself by its end', () => {
    const t = new TailBuffer(4);
    t.push(bytes('xy'));
    t.push(bytes('0123456789'));
    expect(t.total).toBe(12);
    expect(t.tail().toString()).toBe('6789');
  });

  it('grows from a small ring to its capacity without losing bytes', () => {
    const t = new TailBuffer(100_000);
    const all = Buffer.from(Array.from({ length: 150_000 }, (_, i) => i % 251));
    for (let at = 0; at < all.length; at += 7_000) t.push(all.subarray(at, at + 7_000));
    expect(t.total).toBe(150_000);
    expect(t.tail().equals(all.subarray(50_000))).toBe(true);
    expect(t.read(60_000, 10).data.equals(all.subarray(60_000, 60_010))).toBe(true);
  });

  it('clamps a read from an overwritten offset to the oldest byte held', () => {
    const t = new TailBuffer(4);
    t.push(bytes('0123456789'));
    expect(t.read(0, 100)).toEqual({ offset: 6, data: bytes('6789') });
    expect(t.read(10, 100)).toEqual({ offset: 10, data: Buffer.alloc(0) });
  });
});

describe('decodeTail', () => {
  it('drops a multi-byte character cut at the start of a tail, and only then', () => {
    const euro = Buffer.from('€ok'); // e2 82 ac 6f 6b
    expect(decodeTail(euro.subarray(1), true)).toBe('ok');
    expect(decodeTail(euro, true)).toBe('€ok');
    expect(decodeTail(euro.subarray(1), false)).toBe('\ufffd\ufffdok');
  });
});
