import { createContext, type ReactNode, useContext } from 'react';
import type { ApiClient } from './api-client';

const ClientContext = createContext<ApiClient | null>(null);

/** Makes the API client available to components (for actions; state comes from the stores). */
export function ClientProvider({ client, children }: { client: ApiClient; children: ReactNode }) {
  return <ClientContext.Provider value={client}>{children}</ClientContext.Provider>;
}

/** The API client from the nearest `ClientProvider`. */
export function useClient(): ApiClient {
  const client = useContext(ClientContext);
  if (client === null) throw new Error('useClient() needs a <ClientProvider> above it');
  return client;
}
