import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';

describe('group commit (createBatcher)', () => {
  it('writes a burst in few statements, each item answered from its own write', async () => {
    const writes: number[][] = [];
    const b = createBatcher<number, number>({ maxItems: 40, write: (items) => (writes.push(items), Promise.resolve(items.map((i) => i * 2))) });
    const answers = await Promise.all(Array.from({ length: 100 }, (_, i) => b.add(i)));
    expect(answers).toEqual(Array.from({ length: 100 }, (_, i) => i * 2));
    expect(writes.map((w) => w.length)).toEqual([40, 40, 20]);
    expect(writes.flat()).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(b.pending()).toBe(0);
  });

  it('keeps a batch under its weight, but still writes one item heavier than the limit', async () => {
    const writes: string[][] = [];
    const b = createBatcher<string, boolean>({ maxItems: 100, maxWeight: 10, weight: (s) => s.length, write: (items) => (writes.push(items), Promise.resolve(items.map(() => true))) });
    await Promise.all(['aaaa', 'bbbb', 'cccc', 'x'.repeat(50), 'dd'].map((s) => b.add(s)));
    expect(writes).toEqual([['aaaa', 'bbbb'], ['cccc'], ['x'.repeat(50)], ['dd']]);
  });

  it('rejects only the items of a failed write; later items still go', async () => {
    let calls = 0;
    const b = createBatcher<number, number>({
      maxItems: 2,
      write: (items) => {
        calls++;
        return calls === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve(items);
      },
    });
    const settled = await Promise.allSettled([1, 2, 3].map((i) => b.add(i)));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    const later = b.add(4);
    await b.drain();
    await expect(later).resolves.toBe(4);
  });
});
