import { useEffect, useState } from 'react';
import { useClient } from '../../api/client-context';
import type { TaskProgress } from '../../state/task-watcher';

/**
 * The latest `progress` event of a given task kind while `active`. For requests that run as a task
 * but answer with their result (token counts, near dedupe): their task id is first learned from
 * these events, which is also what `tasks.cancel` needs.
 */
export function useKindProgress(kind: string, active: boolean): TaskProgress | null {
  const client = useClient();
  const [progress, setProgress] = useState<TaskProgress | null>(null);
  useEffect(() => {
    if (!active) {
      setProgress(null);
      return;
    }
    return client.on('progress', (event) => {
      if (event.kind === kind) setProgress(event);
    });
  }, [client, kind, active]);
  return progress;
}
