import type { PushedEvent, Result } from '../../preload/contract';

/** The slice of the core the browser shell needs: a request entry point and the event stream. */
export interface ServerCore {
  readonly api: {
    /** Validate and run one request; never throws for bad input, answers a typed error instead. */
    invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  };
  readonly events: {
    /** Subscribe to every pushed event; returns the unsubscribe function. */
    subscribe(listener: (event: PushedEvent) => void): () => void;
  };
}
