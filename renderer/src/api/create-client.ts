import { type ApiClient, createApiClient } from './api-client';
import { createIpcTransport } from './ipc-transport';
import { createWsTransport, defaultWsUrl } from './ws-transport';

/** IPC when the Electron preload exposed `window.api`, otherwise the serve-mode WebSocket. */
export function createClient(target: Window = window): ApiClient {
  const transport =
    target.api !== undefined
      ? createIpcTransport(target.api)
      : createWsTransport({ url: defaultWsUrl(target.location) });
  return createApiClient(transport);
}
