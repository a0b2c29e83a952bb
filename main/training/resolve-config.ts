import { isAbsolute, resolve } from 'node:path';
import {
  type JobSettings,
  JobSettingsSchema,
  type Preset,
  type TrainerConfig,
  TrainerConfigSchema,
} from '../../preload/contract';
import { AppError } from '../errors';
import { OBJECTIVE_PRESETS, PRESETS, TRAINER_DEFAULTS } from './presets';

/** What a job's config is made of. */
export interface ResolveConfigInput {
  readonly modelPath: string;
  readonly preset?: Preset | undefined;
  readonly settings?: JobSettings | undefined;
  /** Validation rows of the dataset version: with some, evaluation is on unless set otherwise. */
  readonly valRows?: number | undefined;
  /** The base model's context (max_position_embeddings); presets never exceed it. */
  readonly maxContext?: number | null | undefined;
}

/**
 * The trainer config of a job: trainer defaults ← preset ← the person's settings, with base_model
 * the absolute model folder and no resume. Without the person saying otherwise, max_seq_len is
 * capped at the model's context and a version with validation rows is evaluated at every
 * checkpoint (eval_steps = save_steps). AppError('BAD_INPUT') naming each bad key otherwise.
 */
export function resolveConfig(input: ResolveConfigInput): TrainerConfig {
  const settings = JobSettingsSchema.safeParse(input.settings ?? {});
  if (!settings.success) throw invalid('settings', settings.error.issues);
  const merged = {
    ...TRAINER_DEFAULTS,
    ...(input.preset ? PRESETS[input.preset] : {}),
    ...OBJECTIVE_PRESETS[settings.data.objective ?? 'sft'],
    ...definedOnly(settings.data),
    base_model: isAbsolute(input.modelPath) ? input.modelPath : resolve(input.modelPath),
    resume_from_checkpoint: null,
  };
  const { maxContext, valRows } = input;
  if (maxContext && settings.data.max_seq_len === undefined && merged.max_seq_len > maxContext) {
    merged.max_seq_len = maxContext;
  }
  if ((valRows ?? 0) > 0 && settings.data.eval_steps === undefined && merged.eval_steps === null) {
    merged.eval_steps = merged.save_steps;
  }
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
