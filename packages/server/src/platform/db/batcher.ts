/**
 * Group commit: items added while a write is in flight go together in the
 * next one, so a burst (a thousand task results, a thousand heartbeats) costs
 * a few statements instead of one each. An item's promise settles when the
 * write that carried it has — callers acknowledge only then.
 */
export interface Batcher<T, R> {
  add(item: T): Promise<R>;
  /** Resolves once everything added so far is written (or has failed). */
  drain(): Promise<void>;
  /** Items waiting or being written. */
  pending(): number;
}

export interface BatcherOptions<T, R> {
  /** Writes a batch; answers one result per item, in order. A throw rejects every item of the batch. */
  write(items: T[]): Promise<R[]>;
  /** At most this many items per write. */
  maxItems: number;
  /** At most this much weight per write (a single heavier item still goes, alone). */
  maxWeight?: number;
  weight?: (item: T) => number;
}

interface Entry<T, R> {
  item: T;
  resolve: (r: R) => void;
  reject: (err: unknown) => void;
}

export function createBatcher<T, R>(opts: BatcherOptions<T, R>): Batcher<T, R> {
  const queue: Entry<T, R>[] = [];
  let running: Promise<void> | null = null;
  let inFlight = 0;
  const weigh = opts.weight ?? (() => 1);
  const maxWeight = opts.maxWeight ?? Number.POSITIVE_INFINITY;

  function take(): Entry<T, R>[] {
    const batch: Entry<T, R>[] = [];
    let weight = 0;
    while (queue.length && batch.length < opts.maxItems) {
      const w = weigh((queue[0] as Entry<T, R>).item);
      if (batch.length && weight + w > maxWeight) break;
      batch.push(queue.shift() as Entry<T, R>);
      weight += w;
    }
    return batch;
  }

  async function loop(): Promise<void> {
    // One turn of the event loop first: items added in the same burst join the first write.
    await new Promise<void>((r) => setImmediate(r));
    while (queue.length) {
      const batch = take();
      inFlight = batch.length;
      try {
        const results = await opts.write(batch.map((e) => e.item));
        batch.forEach((e, i) => e.resolve(results[i] as R));
      } catch (err) {
        for (const e of batch) e.reject(err);
      }
      inFlight = 0;
    }
    running = null;
  }

  return {
    add(item) {
      const p = new Promise<R>((resolve, reject) => queue.push({ item, resolve, reject }));
      running ??= loop();
      return p;
    },
    async drain() {
      while (running) await running;
    },
    pending: () => queue.length + inFlight,
  };
}
