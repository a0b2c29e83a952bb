import type { ApiBridge } from '../../../preload/contract';
import type { Transport } from './transport';

/** The Electron transport: `window.api` from the preload; IPC is always connected while the app runs. */
export function createIpcTransport(api: ApiBridge): Transport {
  return {
    kind: 'ipc',
    invoke: (channel, input) => api.invoke(channel, input),
    on: (name, listener) => api.on(name, listener),
    state: () => 'open',
    onState: () => () => {},
    close: () => {},
  };
}
