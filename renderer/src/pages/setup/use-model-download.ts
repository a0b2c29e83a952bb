import { useEffect, useRef, useState } from 'react';
import type { ApiError } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { type TaskProgress, type TaskWatcher, watchTask } from '../../state/task-watcher';

/** Where one Hub download stands. */
export type ModelDownloadState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly taskId: string | null; readonly progress: TaskProgress | null }
  | { readonly kind: 'done'; readonly path: string }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly error: ApiError };

/** True when a failed download failed because the Hub cannot be reached (the trainer's OFFLINE). */
export function isOffline(error: ApiError): boolean {
  const details = error.details as { reason?: unknown } | undefined;
  return error.code === 'UNAVAILABLE' && details?.reason === 'OFFLINE';
}

/** `setup.downloadModel` watched as a task: progress in bytes, cancel, and how it ended. */
export function useModelDownload() {
  const client = useClient();
  const [state, setState] = useState<ModelDownloadState>({ kind: 'idle' });
  const watcher = useRef<TaskWatcher | null>(null);
  useEffect(() => () => watcher.current?.dispose(), []);

  const start = async (repoId: string) => {
    if (state.kind === 'running') return;
    watcher.current?.dispose();
    let taskId: string | null = null;
    const watch = watchTask(client, {
      onProgress: (progress) => setState({ kind: 'running', taskId, progress }),
      onEnd: (outcome) => {
        watch.dispose();
        if (outcome.state === 'completed' && outcome.resultId !== null)
          setState({ kind: 'done', path: outcome.resultId });
        else if (outcome.state === 'cancelled') setState({ kind: 'cancelled' });
        else
          setState({
            kind: 'failed',
            error: outcome.error ?? { code: 'INTERNAL', message: `The download ${outcome.state}.` },
          });
      },
    });
    watcher.current = watch;
    setState({ kind: 'running', taskId: null, progress: null });
    try {
      ({ taskId } = await client.call('setup.downloadModel', { repoId }));
      setState((current) => (current.kind === 'running' ? { ...current, taskId } : current));
      watch.attach(taskId);
    } catch (caught) {
      watch.dispose();
      setState({ kind: 'failed', error: toApiError(caught) });
    }
  };
  const cancel = () => {
    if (state.kind === 'running' && state.taskId !== null)
      void client.call('tasks.cancel', { taskId: state.taskId });
  };
  return { state, start, cancel };
}
