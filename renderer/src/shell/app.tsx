import { useEffect, useMemo } from 'react';
import type { ApiClient } from '../api/api-client';
import { ClientProvider } from '../api/client-context';
import { useAppInfoStore } from '../state/app-info-store';
import { connectStores, createStoreLoaders } from '../state/connect-stores';
import { useSettingsStore } from '../state/settings-store';
import { applyTheme } from '../theme/apply-theme';
import { AppRouter } from './app-router';
import { StartupError, StartupLoading } from './startup-screen';

/** The root: connects the stores to the client, applies the theme, and gates the shell on `app.info`. */
export function App({ client }: { client: ApiClient }) {
  const loaders = useMemo(() => createStoreLoaders(client), [client]);
  useEffect(() => connectStores(client, loaders), [client, loaders]);

  const theme = useSettingsStore((state) => state.settings?.['ui.theme']);
  useEffect(() => {
    if (theme !== undefined) applyTheme(theme);
  }, [theme]);

  const appInfo = useAppInfoStore();
  return (
    <ClientProvider client={client}>
      {appInfo.status === 'loading' && <StartupLoading />}
      {appInfo.status === 'error' && (
        <StartupError error={appInfo.error} transport={client.kind} onRetry={loaders.all} />
      )}
      {appInfo.status === 'ready' && <AppRouter />}
    </ClientProvider>
  );
}
