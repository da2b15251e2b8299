// A tiny work queue shared by the agent-hosting processes (bench/_agent-pool.mjs, bench/_sim-agents.mjs).

/** Runs `fn(item)` over `items`, at most `limit` at once, in order; starts no more once `stopped()`. */
export async function eachLimited(items, limit, fn, stopped = () => false) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length && !stopped()) await fn(items[next++]);
    }),
  );
}
