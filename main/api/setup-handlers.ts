import { presetChoiceForModel } from '../setup/preset-choice';
import { type SetupFacts, setupReport } from '../setup/setup-checks';
import { startingModels } from '../setup/starting-models';
import type { Handlers } from './api-router';

/** `setup.check`: the first-run checks, from facts gathered fresh on each call. */
export function createSetupHandlers(deps: {
  readonly facts: () => Promise<SetupFacts>;
  /** Memory of the largest GPU the monitor sees, in GB (1e9 bytes, as the estimate counts), or null. */
  readonly largestGpuGb: () => number | null;
}): Pick<Handlers, 'setup.check' | 'setup.startingModels' | 'setup.presetChoice'> {
  return {
    'setup.check': async () => setupReport(await deps.facts()),
    'setup.startingModels': () => startingModels(deps.largestGpuGb()),
    'setup.presetChoice': (input) => presetChoiceForModel(input.modelPath, input.freeMb),
  };
}
