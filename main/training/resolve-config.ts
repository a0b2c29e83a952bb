import { isAbsolute, resolve } from 'node:path';
import {
  type JobSettings,
  JobSettingsSchema,
  type Preset,
  type TrainerConfig,
  TrainerConfigSchema,
} from '../../preload/contract';
import { AppError } from '../errors';
import { PRESETS, TRAINER_DEFAULTS } from './presets';

/** What a job's config is made of. */
export interface ResolveConfigInput {
  readonly modelPath: string;
  readonly preset?: Preset | undefined;
  readonly settings?: JobSettings | undefined;
}

/**
 * The trainer config of a job: trainer defaults ← preset ← the person's settings, with base_model
 * the absolute model folder and no resume. AppError('BAD_INPUT') naming each bad key otherwise.
 */
export function resolveConfig(input: ResolveConfigInput): TrainerConfig {
  const settings = JobSettingsSchema.safeParse(input.settings ?? {});
  if (!settings.success) throw invalid('settings', settings.error.issues);
  const merged = {
    ...TRAINER_DEFAULTS,
    ...(input.preset ? PRESETS[input.preset] : {}),
    ...definedOnly(settings.data),
    base_model: isAbsolute(input.modelPath) ? input.modelPath : resolve(input.modelPath),
    resume_from_checkpoint: null,
  };
  const config = TrainerConfigSchema.safeParse(merged);
  if (!config.success) throw invalid('config', config.error.issues);
  return config.data;
}

/** Keys whose value is undefined would otherwise overwrite the preset with nothing. */
function definedOnly<T extends object>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function invalid(what: string, issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>): AppError {
  const problems = issues.map((i) => `${i.path.map(String).join('.') || what}: ${i.message}`);
  return new AppError('BAD_INPUT', `Invalid training ${what}: ${problems.join('; ')}.`, { problems });
}
