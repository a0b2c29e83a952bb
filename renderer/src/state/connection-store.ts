import { create } from 'zustand';
import type { ConnectionState } from '../api/transport';

/** The transport in use and where its connection stands (drives the "reconnecting" banner). */
export interface ConnectionStoreState {
  readonly kind: 'ipc' | 'ws';
  readonly state: ConnectionState;
}

/** Connection state of the API client. */
export const useConnectionStore = create<ConnectionStoreState>()(() => ({
  kind: 'ipc',
  state: 'connecting',
}));
