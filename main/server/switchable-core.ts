import type { PushedEvent, Result } from '../../preload/contract';
import type { ServerCore } from './server-core';

/**
 * A ServerCore whose target can be replaced while connections stay open: serve starts on the
 * start-up core when the database cannot be opened, and switches to the real core once a backup is
 * restored, so the page that asked for the restore goes on with the same connection.
 */
export class SwitchableCore implements ServerCore {
  private readonly listeners = new Set<(event: PushedEvent) => void>();
  private unsubscribe: () => void;

  readonly api = {
    invoke: (channel: string, input: unknown): Promise<Result<unknown>> =>
      this.current.api.invoke(channel, input),
  };

  readonly events = {
    subscribe: (listener: (event: PushedEvent) => void): (() => void) => {
      this.listeners.add(listener);
      return () => this.listeners.delete(listener);
    },
  };

  constructor(private current: ServerCore) {
    this.unsubscribe = this.forward(current);
  }

  /** Answer every later request with `next`, and forward its events. */
  switchTo(next: ServerCore): void {
    this.unsubscribe();
    this.current = next;
    this.unsubscribe = this.forward(next);
  }

  private forward(core: ServerCore): () => void {
    return core.events.subscribe((event) => {
      for (const listener of this.listeners) listener(event);
    });
  }
}
