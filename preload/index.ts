/**
 * The preload: exposes `window.api` to the renderer, limited to the channels and events the
 * contract declares (the allow-list is derived from it, so nothing else can be called).
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import { type ApiBridge, CHANNELS, EVENT_NAMES, type PushedEvent } from './contract';

const allowedChannels: ReadonlySet<string> = new Set(CHANNELS);
const allowedEvents: ReadonlySet<string> = new Set(EVENT_NAMES);

const api: ApiBridge = {
  invoke(channel, input) {
    if (!allowedChannels.has(channel)) {
      return Promise.resolve({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: `No API channel "${channel}".` },
      });
    }
    return ipcRenderer.invoke('api:invoke', channel, input);
  },
  on(name, listener) {
    if (!allowedEvents.has(name)) throw new Error(`No API event "${name}".`);
    const handler = (_event: IpcRendererEvent, pushed: PushedEvent) => {
      if (pushed.name === name) (listener as (payload: unknown) => void)(pushed.payload);
    };
    ipcRenderer.on('api:event', handler);
    return () => {
      ipcRenderer.removeListener('api:event', handler);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
