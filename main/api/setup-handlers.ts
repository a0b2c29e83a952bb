import { AppError } from '../errors';
import { downloadModel, HUB_ID } from '../setup/model-download';
import { presetChoiceForModel } from '../setup/preset-choice';
import { type SetupFacts, setupReport } from '../setup/setup-checks';
import { startingModels } from '../setup/starting-models';
import type { TaskRegistry } from '../tasks/task-registry';
import type { TrainerCommand } from '../training/job-supervisor';
import type { Handlers } from './api-router';

/** The first-run channels: checks, starting models, the default preset, and downloading a base model. */
export function createSetupHandlers(deps: {
  readonly facts: () => Promise<SetupFacts>;
  /** Memory of the largest GPU the monitor sees, in GB (1e9 bytes, as the estimate counts), or null. */
  readonly largestGpuGb: () => number | null;
  /** For `setup.downloadModel`: the task registry, the trainer command and the env it runs with. */
  readonly download: {
    readonly tasks: Pick<TaskRegistry, 'start'>;
    readonly trainerCommand: () => Promise<TrainerCommand>;
    readonly env: NodeJS.ProcessEnv;
  };
}): Pick<Handlers, 'setup.check' | 'setup.startingModels' | 'setup.presetChoice' | 'setup.downloadModel'> {
  return {
    'setup.check': async () => setupReport(await deps.facts()),
    'setup.startingModels': () => startingModels(deps.largestGpuGb()),
    'setup.presetChoice': (input) => presetChoiceForModel(input.modelPath, input.freeMb),
    'setup.downloadModel': ({ repoId, revision }) => {
      // Checked before the task starts, so a typo is the call's own error and nothing runs.
      if (!HUB_ID.test(repoId))
        throw new AppError(
          'BAD_INPUT',
          `"${repoId}" is not a Hugging Face model id (like Qwen/Qwen2.5-0.5B-Instruct).`,
        );
      return {
        taskId: deps.download.tasks.start('setup.downloadModel', async (reporter) => {
          const command = await deps.download.trainerCommand();
          const done = await downloadModel({ command, env: deps.download.env, repoId, revision, reporter });
          return done.path;
        }),
      };
    },
  };
}
