import { toApiError } from '../api/api-call-error';
import type { ApiClient } from '../api/api-client';
import { useAppInfoStore } from './app-info-store';
import { useConnectionStore } from './connection-store';
import { recordGpuStatus, useGpuStore } from './gpu-store';
import { keepLatest } from './keep-latest';
import { NOTIFICATIONS_LIMIT, useNotificationsStore } from './notifications-store';
import { useSettingsStore } from './settings-store';

/** Loaders for each store, bound to a client. */
export interface StoreLoaders {
  readonly appInfo: () => Promise<void>;
  readonly settings: () => Promise<void>;
  readonly gpu: () => Promise<void>;
  readonly notifications: () => Promise<void>;
  /** Everything at once (start-up, after a reconnect). */
  readonly all: () => Promise<void>;
}

/** Builds the loaders that fill the stores from the client. */
export function createStoreLoaders(client: ApiClient): StoreLoaders {
  const appInfo = keepLatest(
    () => client.call('app.info', {}),
    (info) => useAppInfoStore.setState({ status: 'ready', info, error: null }),
    (error) => {
      // Once the shell is up, a failed refresh keeps the last good answer instead of tearing it down.
      if (useAppInfoStore.getState().status !== 'ready') {
        useAppInfoStore.setState({ status: 'error', info: null, error: toApiError(error) });
      }
    },
  );
  const settings = keepLatest(
    () => client.call('settings.get', {}),
    (value) => useSettingsStore.setState({ settings: value, error: null }),
    (error) => useSettingsStore.setState({ error: toApiError(error) }),
  );
  const gpu = keepLatest(
    () => client.call('telemetry.gpu', {}),
    (status) => recordGpuStatus(status),
    (error) => useGpuStore.setState({ error: toApiError(error) }),
  );
  const notifications = keepLatest(
    () => client.call('notifications.list', { limit: NOTIFICATIONS_LIMIT }),
    (items) =>
      useNotificationsStore.setState({
        items,
        unread: items.filter((item) => !item.read).length,
        loaded: true,
        error: null,
      }),
    (error) => useNotificationsStore.setState({ error: toApiError(error) }),
  );
  const all = async () => {
    await Promise.all([appInfo(), settings(), gpu(), notifications()]);
  };
  return { appInfo, settings, gpu, notifications, all };
}

/**
 * Feeds the stores from the client: loads everything, refetches an entity when the core says it
 * `changed`, applies pushed GPU telemetry, and refetches everything after a reconnect (events sent
 * while disconnected are lost). Returns the function that unsubscribes.
 */
export function connectStores(
  client: ApiClient,
  loaders: StoreLoaders = createStoreLoaders(client),
): () => void {
  useConnectionStore.setState({ kind: client.kind, state: client.state() });
  let wasDisconnected = false;
  const unsubscribes = [
    client.onState((state) => {
      useConnectionStore.setState({ state });
      if (state === 'reconnecting') wasDisconnected = true;
      if (state === 'open' && wasDisconnected) {
        wasDisconnected = false;
        void loaders.all();
      }
    }),
    client.on('changed', ({ entity }) => {
      switch (entity) {
        case 'settings':
          void loaders.settings();
          break;
        case 'notifications':
          void loaders.notifications();
          break;
        case 'datasets':
        case 'jobs':
        case 'models':
        case 'costs':
          // No stores for these yet: their pages are empty states until those features land.
          break;
        default: {
          const unknown: never = entity;
          console.warn('changed event for an unknown entity', unknown);
        }
      }
    }),
    client.on('telemetry.gpu', (status) => recordGpuStatus(status)),
    client.on('notification', () => void loaders.notifications()),
  ];
  void loaders.all();
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
