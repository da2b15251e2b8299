import { onScopeDispose } from 'vue';

/**
 * Runs `tick` every `ms` until the component goes away; a tick still running
 * (a slow request) is not started again on top of itself.
 */
export function usePolling(tick: () => unknown, ms: number): void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    void Promise.resolve()
      .then(tick)
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, ms);
  onScopeDispose(() => clearInterval(timer));
}
