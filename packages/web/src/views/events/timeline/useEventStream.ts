import type { EventView } from '@opsline/contracts';
import { onScopeDispose, ref, watch } from 'vue';
import { openEventStream, type EventStreamFilter } from '../../../api/events';

export type StreamState = 'off' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/**
 * The live event stream while `enabled()` is true, reopened when the filter
 * changes. The browser reconnects by itself after a network blip
 * (`reconnecting`); a refused stream (signed out, no permission) ends `closed`.
 */
export function useEventStream(options: {
  enabled: () => boolean;
  filter: () => EventStreamFilter;
  onEvent: (event: EventView) => void;
}) {
  const state = ref<StreamState>('off');
  let source: EventSource | null = null;

  function close(): void {
    source?.close();
    source = null;
    state.value = 'off';
  }

  function open(): void {
    close();
    if (!options.enabled()) return;
    const es = openEventStream(options.filter());
    source = es;
    state.value = 'connecting';
    es.onopen = () => {
      if (source === es) state.value = 'open';
    };
    es.onerror = () => {
      if (source !== es) return;
      state.value = es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting';
    };
    es.addEventListener('event', (msg: MessageEvent<string>) => {
      try {
        options.onEvent(JSON.parse(msg.data) as EventView);
      } catch {
        // A malformed message is skipped; the next one is independent of it.
      }
    });
  }

  watch(() => [options.enabled(), JSON.stringify(options.filter())], open, { immediate: true });
  onScopeDispose(close);

  return { state, reconnect: open };
}
