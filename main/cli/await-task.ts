import type { EventPayload } from '../../preload/contract';
import { call } from './cli-context';
import { CliError } from './cli-error';
import type { CliCore } from './primary-client';

/**
 * Start a task (an import, python setup…) and wait for its `task` event, showing `progress` events.
 * Subscribes before starting, so an outcome that arrives before the task id is not missed.
 */
export async function awaitTask(
  core: CliCore,
  start: () => Promise<{ readonly taskId: string }>,
  onProgress: (progress: EventPayload<'progress'>) => void,
): Promise<EventPayload<'task'>> {
  const ended = new Map<string, EventPayload<'task'>>();
  let wanted: string | null = null;
  let settle: (outcome: EventPayload<'task'>) => void = () => {};
  const outcome = new Promise<EventPayload<'task'>>((resolve) => {
    settle = resolve;
  });
  const unsubscribe = core.events.subscribe((event) => {
    if (event.name === 'progress' && event.payload.taskId === wanted) onProgress(event.payload);
    if (event.name !== 'task') return;
    if (event.payload.taskId === wanted) settle(event.payload);
    else ended.set(event.payload.taskId, event.payload);
  });
  try {
    const { taskId } = await start();
    wanted = taskId;
    const early = ended.get(taskId);
    if (early) return early;
    // Ask once too: an outcome that came before we subscribed (or was sent to a dropped socket).
    const now = await call(core, 'tasks.get', { taskId });
    if (now.state !== 'running') return { ...now, state: now.state };
    const lost = core.lost.then((): never => {
      throw new CliError({
        code: 'UNAVAILABLE',
        message: `Lost the connection to LoRA Studio (pid ${core.remote?.pid}); task ${taskId} may still be running there.`,
      });
    });
    return await Promise.race([outcome, lost]);
  } finally {
    unsubscribe();
  }
}
