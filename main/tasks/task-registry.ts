import { newId } from '../../db/ids';
import type { ApiError } from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';

/** What a running task may report: how far it got, in its own units. */
export interface TaskReporter {
  readonly signal: AbortSignal;
  progress(done: number, total: number | null, message?: string | null): void;
}

interface RunningTask {
  readonly kind: string;
  readonly controller: AbortController;
  lastProgressAt: number;
  /** A progress report held back by the throttle, sent when the interval has passed. */
  trailing: NodeJS.Timeout | null;
  settled?: Promise<void>;
}

/** Where a task stands, as `tasks.get` answers. */
export interface TaskState {
  readonly taskId: string;
  readonly kind: string;
  readonly state: 'running' | 'completed' | 'failed' | 'cancelled';
  readonly resultId: string | null;
  readonly error: ApiError | null;
}

/** How many finished tasks are remembered for `get` (a caller that missed the `task` event). */
const FINISHED_KEPT = 200;

/** Progress events are throttled to this rate per task (ARCHITECTURE: ≤ 4 Hz). */
const PROGRESS_INTERVAL_MS = 250;

/**
 * Long tasks (import, token counting, export): each gets an id, an AbortSignal for cancel,
 * throttled `progress` events and one `task` event when it ends, however it ends.
 */
export class TaskRegistry {
  private readonly tasks = new Map<string, RunningTask>();
  private readonly finished = new Map<string, TaskState>();

  constructor(
    private readonly events: EventBus,
    private readonly now: () => number = Date.now,
  ) {}

  /** Start `work` in the background and return its task id at once. */
  start(kind: string, work: (reporter: TaskReporter) => Promise<string | null>): string {
    const taskId = newId('task', this.now());
    const task: RunningTask = { kind, controller: new AbortController(), lastProgressAt: 0, trailing: null };
    this.tasks.set(taskId, task);
    const send = (done: number, total: number | null, message: string | null) => {
      task.lastProgressAt = this.now();
      this.events.emit('progress', { taskId, kind, done, total, message });
    };
    const reporter: TaskReporter = {
      signal: task.controller.signal,
      progress: (done, total, message = null) => {
        const waited = this.now() - task.lastProgressAt;
        const finished = total !== null && done >= total;
        if (task.trailing !== null) clearTimeout(task.trailing);
        task.trailing = null;
        if (finished || waited >= PROGRESS_INTERVAL_MS) return send(done, total, message);
        // Throttled, but never dropped: the latest report goes out once the interval has passed
        // (a slow step's last message — "Loading checkpoint shards" — must reach the UI).
        task.trailing = setTimeout(() => {
          task.trailing = null;
          if (this.tasks.get(taskId) === task) send(done, total, message);
        }, PROGRESS_INTERVAL_MS - waited);
        task.trailing.unref?.();
      },
    };
    task.settled = work(reporter).then(
      (resultId) => this.finish(taskId, 'completed', resultId, null),
      (error: unknown) => {
        if (task.controller.signal.aborted) this.finish(taskId, 'cancelled', null, null);
        else this.finish(taskId, 'failed', null, toApiError(error));
      },
    );
    return taskId;
  }

  /** A running task, or the outcome of one of the last finished ones; null when unknown. */
  get(taskId: string): TaskState | null {
    const running = this.tasks.get(taskId);
    if (running) return { taskId, kind: running.kind, state: 'running', resultId: null, error: null };
    return this.finished.get(taskId) ?? null;
  }

  /** Ask a task to stop; false when no such task is running. */
  cancel(taskId: string): boolean {
    const task = this.tasks.get(taskId);
    if (!task) return false;
    task.controller.abort();
    return true;
  }

  /** Cancel every running task and wait until each has cleaned up (on shutdown). */
  async cancelAll(): Promise<void> {
    const running = [...this.tasks.values()];
    for (const task of running) task.controller.abort();
    await Promise.all(running.map((t) => t.settled));
  }

  get running(): number {
    return this.tasks.size;
  }

  private finish(
    taskId: string,
    state: 'completed' | 'failed' | 'cancelled',
    resultId: string | null,
    error: ApiError | null,
  ) {
    const task = this.tasks.get(taskId);
    if (!task) return;
    if (task.trailing !== null) clearTimeout(task.trailing);
    this.tasks.delete(taskId);
    this.finished.set(taskId, { taskId, kind: task.kind, state, resultId, error });
    if (this.finished.size > FINISHED_KEPT) {
      const oldest = this.finished.keys().next().value;
      if (oldest !== undefined) this.finished.delete(oldest);
    }
    this.events.emit('task', { taskId, kind: task.kind, state, resultId, error });
  }
}

/** Any thrown value as a typed API error, without a stack. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof AppError) return error.toApiError();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
