import type { NotifyDeliveryView } from '@opsline/contracts';
import { onScopeDispose, ref, shallowRef } from 'vue';
import { getDelivery } from '../../../api/notify';

const EVERY_MS = 1000;

/**
 * Follows one delivery until it is no longer pending (sent, failed, held) or
 * `deadlineMs` passes; what it holds meanwhile shows every attempt so far.
 */
export function useFollowDelivery(deadlineMs = 20_000) {
  const delivery = shallowRef<NotifyDeliveryView | null>(null);
  const following = ref(false);
  /** The deadline passed while it was still pending (a retry may come later). */
  const timedOut = ref(false);
  const error = shallowRef<unknown>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;

  function stop(): void {
    clearTimeout(timer);
    seq += 1;
    following.value = false;
  }

  async function tick(id: string, mine: number, until: number): Promise<void> {
    try {
      const d = await getDelivery(id);
      if (mine !== seq) return;
      delivery.value = d;
      if (d.status !== 'pending') return stop();
    } catch (err) {
      if (mine !== seq) return;
      error.value = err;
      return stop();
    }
    if (Date.now() >= until) {
      timedOut.value = true;
      return stop();
    }
    timer = setTimeout(() => void tick(id, mine, until), EVERY_MS);
  }

  function follow(id: string): void {
    stop();
    const mine = seq;
    delivery.value = null;
    error.value = null;
    timedOut.value = false;
    following.value = true;
    void tick(id, mine, Date.now() + deadlineMs);
  }

  function reset(): void {
    stop();
    delivery.value = null;
    error.value = null;
    timedOut.value = false;
  }

  onScopeDispose(stop);
  return { delivery, following, timedOut, error, follow, reset };
}
