import { type Dispatch, useEffect, useReducer, useRef } from 'react';
import { useNavigate } from 'react-router';
import { toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { type TaskWatcher, watchTask } from '../../../state/task-watcher';
import {
  type ImportAction,
  type ImportState,
  INITIAL_IMPORT_STATE,
  importReducer,
  importRequest,
} from './import-state';

/** The import dialog's state and the three things that talk to the core: inspect, import, cancel. */
export interface ImportFlow {
  readonly state: ImportState;
  readonly dispatch: Dispatch<ImportAction>;
  readonly inspect: () => Promise<void>;
  readonly startImport: () => Promise<void>;
  readonly cancel: () => Promise<void>;
}

/**
 * Runs the import state machine against the core: `datasets.inspect`, then `datasets.import` watched
 * as a task; on success it closes the dialog and opens the new dataset.
 */
export function useImport(onClose: () => void, initialPath = ''): ImportFlow {
  const client = useClient();
  const navigate = useNavigate();
  const [state, dispatch] = useReducer(importReducer, { ...INITIAL_IMPORT_STATE, path: initialPath });
  const watcher = useRef<TaskWatcher | null>(null);

  useEffect(() => () => watcher.current?.dispose(), []);

  const inspect = async () => {
    const path = state.path.trim();
    if (path === '' || state.inspecting || state.phase.kind === 'running') return;
    dispatch({ type: 'inspect-started' });
    try {
      const inspection = await client.call('datasets.inspect', {
        path,
        ...(state.format === '' ? {} : { format: state.format }),
      });
      dispatch({ type: 'inspected', inspection });
    } catch (caught) {
      dispatch({ type: 'inspect-failed', error: toApiError(caught) });
    }
  };

  const startImport = async () => {
    const input = importRequest(state);
    if (input === null) return;
    watcher.current?.dispose();
    const watch = watchTask(client, {
      onProgress: (progress) => dispatch({ type: 'progress', progress }),
      onEnd: (outcome) => {
        watch.dispose();
        if (outcome.state === 'completed' && outcome.resultId !== null) {
          onClose();
          navigate(`/datasets/${outcome.resultId}`);
        } else if (outcome.state === 'cancelled') {
          dispatch({ type: 'cancelled' });
        } else {
          dispatch({
            type: 'failed',
            error: outcome.error ?? { code: 'INTERNAL', message: 'The import failed without saying why.' },
          });
        }
      },
    });
    watcher.current = watch;
    dispatch({ type: 'import-started' });
    try {
      const { taskId } = await client.call('datasets.import', input);
      dispatch({ type: 'task', taskId });
      watch.attach(taskId);
    } catch (caught) {
      watch.dispose();
      dispatch({ type: 'failed', error: toApiError(caught) });
    }
  };

  const cancel = async () => {
    if (state.phase.kind !== 'running' || state.phase.taskId === null) return;
    try {
      await client.call('tasks.cancel', { taskId: state.phase.taskId });
    } catch (caught) {
      dispatch({ type: 'failed', error: toApiError(caught) });
    }
  };

  return { state, dispatch, inspect, startImport, cancel };
}
