import { create } from 'zustand';
import type { ApiError, DatasetDetail, DatasetSummary } from '../../../preload/contract';
import { toApiError } from '../api/api-call-error';
import type { ApiClient } from '../api/api-client';
import { keepLatest } from './keep-latest';

/** The dataset list, and the details of the datasets that were opened. */
export interface DatasetsState {
  readonly list: ReadonlyArray<DatasetSummary>;
  readonly listLoaded: boolean;
  readonly listError: ApiError | null;
  readonly details: Readonly<Record<string, DatasetDetail>>;
  readonly detailErrors: Readonly<Record<string, ApiError>>;
  /** Bumped for a dataset whenever the core says it changed: row views refetch what they show. */
  readonly revisions: Readonly<Record<string, number>>;
}

/** Datasets for the Datasets pages. */
export const useDatasetsStore = create<DatasetsState>()(() => ({
  list: [],
  listLoaded: false,
  listError: null,
  details: {},
  detailErrors: {},
  revisions: {},
}));

/** Loaders for the datasets store, bound to a client. */
export interface DatasetsLoaders {
  readonly list: () => Promise<void>;
  readonly detail: (id: string) => Promise<void>;
}

/** Builds the loaders; each dataset's detail keeps only its latest answer. */
export function createDatasetsLoaders(client: ApiClient): DatasetsLoaders {
  const list = keepLatest(
    () => client.call('datasets.list', {}),
    (items) => useDatasetsStore.setState({ list: items, listLoaded: true, listError: null }),
    (error) => useDatasetsStore.setState({ listError: toApiError(error) }),
  );
  const detailLoaders = new Map<string, () => Promise<void>>();
  const detail = (id: string) => {
    let load = detailLoaders.get(id);
    if (load === undefined) {
      load = keepLatest(
        () => client.call('datasets.get', { id }),
        (value) =>
          useDatasetsStore.setState((state) => {
            const { [id]: _gone, ...detailErrors } = state.detailErrors;
            return { details: { ...state.details, [id]: value }, detailErrors };
          }),
        (error) =>
          useDatasetsStore.setState((state) => ({
            detailErrors: { ...state.detailErrors, [id]: toApiError(error) },
          })),
      );
      detailLoaders.set(id, load);
    }
    return load();
  };
  return { list, detail };
}

/** Marks a dataset's rows as changed so that open row views refetch. */
export function bumpDatasetRevision(id: string): void {
  useDatasetsStore.setState((state) => ({
    revisions: { ...state.revisions, [id]: (state.revisions[id] ?? 0) + 1 },
  }));
}

/**
 * Keeps the datasets store current while the Datasets pages are shown: loads the list, refetches it
 * (and the opened details) when the core says datasets changed, and after a reconnect.
 * Returns the function that unsubscribes.
 */
export function connectDatasetsStore(client: ApiClient, loaders: DatasetsLoaders): () => void {
  const refreshOpened = (id: string | null) => {
    const opened = Object.keys(useDatasetsStore.getState().details);
    for (const openedId of opened) {
      if (id === null || id === openedId) {
        void loaders.detail(openedId);
        bumpDatasetRevision(openedId);
      }
    }
  };
  let wasDisconnected = false;
  const unsubscribes = [
    client.on('changed', ({ entity, id }) => {
      if (entity !== 'datasets') return;
      void loaders.list();
      refreshOpened(id);
    }),
    client.onState((state) => {
      if (state === 'reconnecting') wasDisconnected = true;
      if (state === 'open' && wasDisconnected) {
        wasDisconnected = false;
        void loaders.list();
        refreshOpened(null);
      }
    }),
  ];
  void loaders.list();
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
