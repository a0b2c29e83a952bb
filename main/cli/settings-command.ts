import { SETTING_KEYS } from '../../preload/contract';
import { SettingsService } from '../settings/settings-service';
import { type CliContext, CliError, call, usageError } from './cli-context';

export const SETTINGS_USAGE = [
  '  settings list                          Show every setting',
  '  settings get KEY                       Show one setting',
  '  settings set KEY VALUE                 Change a setting (VALUE is JSON or a plain string)',
].join('\n');

/** `settings list|get|set`: arguments are checked before the data folder is touched. */
export function settingsCommand(ctx: CliContext, usage: string): Promise<void> {
  const [sub, key, value] = ctx.args;
  if (sub === 'list' || sub === undefined) {
    return ctx.withCore(async (core) => {
      const all = await call(core, 'settings.get', {});
      ctx.print(all, () =>
        Object.entries(all)
          .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
          .join('\n'),
      );
    });
  }
  if (sub === 'get') {
    if (!key) throw usageError('settings get needs a KEY', usage);
    if (!(SETTING_KEYS as ReadonlyArray<string>).includes(key)) {
      throw new CliError({
        code: 'NOT_FOUND',
        message: `Unknown setting "${key}". Known: ${SETTING_KEYS.join(', ')}.`,
      });
    }
    return ctx.withCore(async (core) => {
      const all = await call(core, 'settings.get', {});
      const stored = all[key as keyof typeof all];
      ctx.print(stored, () => JSON.stringify(stored));
    });
  }
  if (sub === 'set') {
    if (!key || value === undefined) throw usageError('settings set needs a KEY and a VALUE', usage);
    const patch = SettingsService.parseCliValue(key, value);
    return ctx.withCore(async (core) => {
      const all = await call(core, 'settings.update', patch);
      const stored = all[key as keyof typeof all];
      ctx.print({ key, value: stored }, () => `${key} = ${JSON.stringify(stored)}`);
    });
  }
  throw usageError(`Unknown settings command "${sub}"`, usage);
}
