import { SettingsService } from '../settings/settings-service';
import { type CliContext, CliError, call, usageError } from './cli-context';

export const SETTINGS_USAGE = [
  '  settings list                          Show every setting',
  '  settings get KEY                       Show one setting',
  '  settings set KEY VALUE                 Change a setting (VALUE is JSON or a plain string)',
].join('\n');

/** `settings list|get|set`. */
export function settingsCommand(ctx: CliContext, usage: string): Promise<void> {
  const [sub, key, value] = ctx.args;
  return ctx.withCore(async (core) => {
    if (sub === 'list' || sub === undefined) {
      const all = await call(core, 'settings.get', {});
      ctx.print(all, () =>
        Object.entries(all)
          .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
          .join('\n'),
      );
    } else if (sub === 'get') {
      if (!key) throw usageError('settings get needs a KEY', usage);
      const all = await call(core, 'settings.get', {});
      if (!Object.hasOwn(all, key)) {
        throw new CliError({
          code: 'NOT_FOUND',
          message: `Unknown setting "${key}". Known: ${Object.keys(all).join(', ')}.`,
        });
      }
      const stored = all[key as keyof typeof all];
      ctx.print(stored, () => JSON.stringify(stored));
    } else if (sub === 'set') {
      if (!key || value === undefined) throw usageError('settings set needs a KEY and a VALUE', usage);
      const all = await call(core, 'settings.update', SettingsService.parseCliValue(key, value));
      const stored = all[key as keyof typeof all];
      ctx.print({ key, value: stored }, () => `${key} = ${JSON.stringify(stored)}`);
    } else {
      throw usageError(`Unknown settings command "${sub}"`, usage);
    }
  });
}
