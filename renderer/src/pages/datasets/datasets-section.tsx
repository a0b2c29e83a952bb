import { createContext, useContext, useEffect, useMemo } from 'react';
import { Outlet } from 'react-router';
import { useClient } from '../../api/client-context';
import {
  connectDatasetsStore,
  createDatasetsLoaders,
  type DatasetsLoaders,
} from '../../state/datasets-store';

const LoadersContext = createContext<DatasetsLoaders | null>(null);

/** The datasets loaders of the enclosing `DatasetsSection`. */
export function useDatasetsLoaders(): DatasetsLoaders {
  const loaders = useContext(LoadersContext);
  if (loaders === null) throw new Error('useDatasetsLoaders() needs a <DatasetsSection> above it');
  return loaders;
}

/** The parent route of the Datasets pages: keeps the datasets store in step with the core. */
export function DatasetsSection() {
  const client = useClient();
  const loaders = useMemo(() => createDatasetsLoaders(client), [client]);
  useEffect(() => connectDatasetsStore(client, loaders), [client, loaders]);
  return (
    <LoadersContext.Provider value={loaders}>
      <Outlet />
    </LoadersContext.Provider>
  );
}
