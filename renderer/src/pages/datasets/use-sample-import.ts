import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ApiError } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { type TaskProgress, type TaskWatcher, watchTask } from '../../state/task-watcher';

/** Where a one-click sample import stands. */
export type SampleImportState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'running'; readonly progress: TaskProgress | null }
  | { readonly kind: 'failed'; readonly error: ApiError };

/** `datasets.importSample` watched as a task; on success it opens the new dataset (or calls `onDone`). */
export function useSampleImport(onDone?: (datasetId: string) => void) {
  const client = useClient();
  const navigate = useNavigate();
  const [state, setState] = useState<SampleImportState>({ kind: 'idle' });
  const watcher = useRef<TaskWatcher | null>(null);
  useEffect(() => () => watcher.current?.dispose(), []);

  const start = async () => {
    if (state.kind === 'running') return;
    watcher.current?.dispose();
    const watch = watchTask(client, {
      onProgress: (progress) => setState({ kind: 'running', progress }),
      onEnd: (outcome) => {
        watch.dispose();
        if (outcome.state === 'completed' && outcome.resultId !== null) {
          setState({ kind: 'idle' });
          if (onDone) onDone(outcome.resultId);
          else navigate(`/datasets/${outcome.resultId}`);
        } else {
          setState({
            kind: 'failed',
            error: outcome.error ?? { code: 'INTERNAL', message: `The sample import was ${outcome.state}.` },
          });
        }
      },
    });
    watcher.current = watch;
    setState({ kind: 'running', progress: null });
    try {
      const { taskId } = await client.call('datasets.importSample', {});
      watch.attach(taskId);
    } catch (caught) {
      watch.dispose();
      setState({ kind: 'failed', error: toApiError(caught) });
    }
  };
  return { state, start };
}
