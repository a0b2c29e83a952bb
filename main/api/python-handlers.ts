import type { TaskRegistry } from '../tasks/task-registry';
import type { Handlers } from './api-router';

/** `python.setup`: builds the trainer's venv as a task (progress and outcome arrive as events). */
export function createPythonHandlers(deps: {
  readonly tasks: Pick<TaskRegistry, 'start'>;
  /** Build the venv from `basePython` (or the platform's default) and record it in the settings. */
  readonly setup: (
    basePython: string | undefined,
    reporter: Parameters<Parameters<TaskRegistry['start']>[1]>[0],
  ) => Promise<void>;
}): Pick<Handlers, 'python.setup'> {
  return {
    'python.setup': ({ basePython }) => ({
      taskId: deps.tasks.start('python.setup', async (reporter) => {
        await deps.setup(basePython, reporter);
        return null;
      }),
    }),
  };
}
