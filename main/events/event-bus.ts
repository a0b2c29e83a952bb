import type { EventName, EventPayload, PushedEvent } from '../../preload/contract';

type Listener = (event: PushedEvent) => void;

/** The one way the core pushes events: every shell subscribes here and forwards to its clients. */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  /** Push an event to every subscriber; a throwing subscriber never stops the others. */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const event = { name, payload } as PushedEvent;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        console.error(`event listener failed for ${name}:`, error);
      }
    }
  }

  /** Subscribe to every event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get size(): number {
    return this.listeners.size;
  }
}
