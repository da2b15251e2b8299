import type { EventView } from '@opsline/contracts';

type Listener = (event: EventView) => void;

/**
 * In-process fan-out of committed events (SSE streams, automation). A
 * listener that throws is reported and skipped, never breaking the publisher.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();
  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(event: EventView): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
