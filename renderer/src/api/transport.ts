import type { ApiBridge } from '../../../preload/contract';

/**
 * Where the connection to the core stands. `connecting`: never connected yet; `open`: requests flow;
 * `reconnecting`: the connection dropped and the transport is trying again; `closed`: disposed.
 */
export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** One way of reaching the core: the API bridge plus the state of the connection behind it. */
export interface Transport extends ApiBridge {
  readonly kind: 'ipc' | 'ws';
  /** The current connection state. */
  state(): ConnectionState;
  /** Called on every state change; returns the unsubscribe function. */
  onState(listener: (state: ConnectionState) => void): () => void;
  /** Stops the transport; pending requests resolve `UNAVAILABLE`. */
  close(): void;
}
