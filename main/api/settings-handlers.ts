import type { SettingsService } from '../settings/settings-service';
import type { Handlers } from './api-router';

/** The settings channels: read all, update a validated patch (the service emits `changed`). */
export function createSettingsHandlers(deps: {
  readonly settings: Pick<SettingsService, 'getAll' | 'update'>;
}): Pick<Handlers, 'settings.get' | 'settings.update'> {
  const { settings } = deps;
  return {
    'settings.get': () => settings.getAll(),
    'settings.update': (patch) => settings.update(patch),
  };
}
