/**
 * The preload: exposes `window.api` to the renderer, limited to the channels and events the
 * contract declares (the allow-list is derived from it, so nothing else can be called), and
 * `window.desktop` (native dialogs, dropped files' paths, menu commands), checked by its schemas.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer, webUtils } from 'electron';
import {
  type ApiBridge,
  CHANNELS,
  DESKTOP_COMMAND_CHANNEL,
  DESKTOP_PICK_PATH_CHANNEL,
  type DesktopBridge,
  DesktopCommandSchema,
  EVENT_NAMES,
  PickPathRequestSchema,
  type PushedEvent,
} from './contract';

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

const desktop: DesktopBridge = {
  async pickPath(request) {
    // A bad request is refused here and never reaches the main process (which checks it again).
    const checked = PickPathRequestSchema.parse(request);
    const picked: unknown = await ipcRenderer.invoke(DESKTOP_PICK_PATH_CHANNEL, checked);
    return typeof picked === 'string' ? picked : null;
  },
  pathForFile(file) {
    const path = webUtils.getPathForFile(file);
    return path === '' ? null : path;
  },
  onCommand(listener) {
    const handler = (_event: IpcRendererEvent, command: unknown) => {
      const checked = DesktopCommandSchema.safeParse(command);
      if (checked.success) listener(checked.data);
    };
    ipcRenderer.on(DESKTOP_COMMAND_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(DESKTOP_COMMAND_CHANNEL, handler);
    };
  },
};

contextBridge.exposeInMainWorld('api', api);
contextBridge.exposeInMainWorld('desktop', desktop);
