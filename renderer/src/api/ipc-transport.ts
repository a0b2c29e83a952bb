import { type ApiBridge, parsePushedEvent } from '../../../preload/contract';
import type { Transport } from './transport';

/** The Electron transport: `window.api` from the preload; IPC is always connected while the app runs. */
export function createIpcTransport(api: ApiBridge): Transport {
  return {
    kind: 'ipc',
    invoke: (channel, input) => api.invoke(channel, input),
    // The payload is checked against the contract on receipt, as the WebSocket transport does.
    on: (name, listener) =>
      api.on(name, (payload) => {
        const checked = parsePushedEvent({ name, payload });
        if (checked.ok) (listener as (payload: unknown) => void)(checked.event.payload);
        else console.error(`ignored a pushed event outside the contract (${checked.reason})`);
      }),
    state: () => 'open',
    onState: () => () => {},
    close: () => {},
  };
}
