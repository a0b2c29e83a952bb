import type { SettingsRepository } from '../../db/repositories/settings-repository';
import {
  SETTING_KEYS,
  SETTINGS_DEFAULTS,
  SETTINGS_SCHEMA,
  type SettingKey,
  type Settings,
  type SettingsPatch,
} from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';

/** The one place settings are read and written: defaults merged, every value validated. */
export class SettingsService {
  constructor(
    private readonly repo: SettingsRepository,
    private readonly events: EventBus,
  ) {}

  /** All settings; a stored value that no longer fits its schema falls back to the default. */
  getAll(): Settings {
    const stored = this.repo.all();
    const result: Record<string, unknown> = { ...SETTINGS_DEFAULTS };
    for (const key of SETTING_KEYS) {
      if (!stored.has(key)) continue;
      const parsed = SETTINGS_SCHEMA[key].safeParse(stored.get(key));
      if (parsed.success) result[key] = parsed.data;
      else console.warn(`setting ${key} holds an invalid value; using the default`);
    }
    return result as Settings;
  }

  get<K extends SettingKey>(key: K): Settings[K] {
    return this.getAll()[key];
  }

  /** Apply a validated patch atomically and announce it. */
  update(patch: SettingsPatch): Settings {
    const entries = Object.entries(patch).filter(([, v]) => v !== undefined);
    if (entries.length > 0) {
      this.repo.setMany(entries);
      this.events.emit('changed', { entity: 'settings', id: null });
    }
    return this.getAll();
  }

  /** Parse a value typed on the command line for `key` (JSON if it parses, else the raw string). */
  static parseCliValue(key: string, raw: string): SettingsPatch {
    if (!SETTING_KEYS.includes(key as SettingKey)) {
      throw new AppError(
        'BAD_INPUT',
        `Unknown setting "${key}". Known settings: ${SETTING_KEYS.join(', ')}.`,
      );
    }
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: keep it as the plain string the user typed.
    }
    const schema = SETTINGS_SCHEMA[key as SettingKey];
    const typed = schema.safeParse(value);
    // `"0123"` may be meant as text; but when neither reading is valid, the typed one's reason is the
    // one that helps (-5 → "cannot be negative", not "must be a number").
    const parsed = !typed.success && typeof value !== 'string' ? schema.safeParse(raw) : typed;
    if (!parsed.success) {
      const issue = (typed.success ? parsed : typed).error?.issues[0];
      throw new AppError('BAD_INPUT', `Invalid value for ${key}: ${issue?.message ?? 'not accepted'}.`);
    }
    return { [key]: parsed.data } as SettingsPatch;
  }
}
