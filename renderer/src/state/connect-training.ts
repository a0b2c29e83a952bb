import { toApiError } from '../api/api-call-error';
import type { ApiClient } from '../api/api-client';
import { keepLatest } from './keep-latest';
import { applyJobProgress, useTrainingStore } from './training-store';

/**
 * Keeps the training store live while the training pages are open: loads the job list, applies
 * `job.progress` events as they come (no polling), refetches on `changed {entity:'jobs'}` and after
 * a reconnect (events sent while disconnected are lost). Returns the function that unsubscribes.
 */
export function connectTraining(client: ApiClient): () => void {
  const load = keepLatest(
    () => client.call('jobs.list', {}),
    (jobs) => useTrainingStore.setState({ jobs, loaded: true, error: null }),
    (error) => useTrainingStore.setState({ loaded: true, error: toApiError(error) }),
  );
  let wasDisconnected = false;
  const unsubscribes = [
    client.on('job.progress', (event) => {
      const { jobs } = useTrainingStore.getState();
      const next = applyJobProgress(jobs, event);
      if (next === jobs) void load();
      else useTrainingStore.setState({ jobs: next });
    }),
    client.on('changed', ({ entity, id }) => {
      if (entity !== 'jobs') return;
      useTrainingStore.setState((state) => ({ changes: state.changes + 1, lastChangedId: id }));
      void load();
    }),
    client.onState((state) => {
      if (state === 'reconnecting') wasDisconnected = true;
      if (state === 'open' && wasDisconnected) {
        wasDisconnected = false;
        useTrainingStore.setState((current) => ({ changes: current.changes + 1, lastChangedId: null }));
        void load();
      }
    }),
  ];
  void load();
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}
