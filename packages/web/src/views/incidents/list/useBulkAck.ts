import type { IncidentView } from '@opsline/contracts';
import { computed, ref, shallowRef } from 'vue';
import { acknowledgeIncident } from '../../../api/incidents';
import { errorText } from '../../../platform/i18n/error-text';

export interface BulkFailure {
  incident: IncidentView;
  reason: string;
}

/** At most this many acknowledgements in flight at once. */
const PARALLEL = 4;

/**
 * Acknowledges several incidents, one call each (the API acknowledges one at
 * a time): progress as they answer, and which ones failed and why.
 */
export function useBulkAck() {
  const total = ref(0);
  const done = ref(0);
  const running = ref(false);
  const failures = shallowRef<BulkFailure[]>([]);

  async function run(incidents: readonly IncidentView[]): Promise<void> {
    total.value = incidents.length;
    done.value = 0;
    failures.value = [];
    running.value = true;
    const queue = [...incidents];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next; next = queue.shift()) {
        try {
          await acknowledgeIncident(next.id);
        } catch (err) {
          failures.value = [...failures.value, { incident: next, reason: errorText(err) }];
        }
        done.value += 1;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(PARALLEL, incidents.length) }, worker));
    } finally {
      running.value = false;
    }
  }

  const percent = computed(() => (total.value === 0 ? 0 : Math.round((done.value / total.value) * 100)));
  return { total, done, running, failures, percent, run };
}

export type BulkAck = ReturnType<typeof useBulkAck>;
