import { type SetupFacts, setupReport } from '../setup/setup-checks';
import type { Handlers } from './api-router';

/** `setup.check`: the first-run checks, from facts gathered fresh on each call. */
export function createSetupHandlers(deps: {
  readonly facts: () => Promise<SetupFacts>;
}): Pick<Handlers, 'setup.check'> {
  return {
    'setup.check': async () => setupReport(await deps.facts()),
  };
}
