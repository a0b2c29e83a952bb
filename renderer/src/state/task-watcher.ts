import type { EventPayload } from '../../../preload/contract';
import type { ApiClient } from '../api/api-client';

/** A `progress` event of a long task. */
export type TaskProgress = EventPayload<'progress'>;
/** The `task` event that ends a long task. */
export type TaskOutcome = EventPayload<'task'>;

/** Follows one long task's events; see `watchTask`. */
export interface TaskWatcher {
  /** Names the task once its id is known; events that arrived earlier for it are replayed. */
  attach(taskId: string): void;
  /** Stops listening. */
  dispose(): void;
}

/**
 * Listens for a task's `progress` and `task` events. Subscribe BEFORE starting the task: a small
 * task may end before the request that started it has answered, so events are buffered until
 * `attach` names the task.
 */
export function watchTask(
  client: ApiClient,
  handlers: { onProgress(progress: TaskProgress): void; onEnd(outcome: TaskOutcome): void },
): TaskWatcher {
  let taskId: string | null = null;
  let ended = false;
  const early: Array<{ kind: 'progress'; event: TaskProgress } | { kind: 'task'; event: TaskOutcome }> = [];
  const onProgress = (event: TaskProgress) => {
    if (ended) return;
    if (taskId === null) early.push({ kind: 'progress', event });
    else if (event.taskId === taskId) handlers.onProgress(event);
  };
  const onTask = (event: TaskOutcome) => {
    if (ended) return;
    if (taskId === null) early.push({ kind: 'task', event });
    else if (event.taskId === taskId) {
      ended = true;
      handlers.onEnd(event);
    }
  };
  const unsubscribes = [client.on('progress', onProgress), client.on('task', onTask)];
  return {
    attach(id) {
      taskId = id;
      const buffered = early.splice(0);
      for (const item of buffered) {
        if (item.kind === 'progress') onProgress(item.event);
        else onTask(item.event);
      }
    },
    dispose() {
      ended = true;
      for (const unsubscribe of unsubscribes) unsubscribe();
    },
  };
}
