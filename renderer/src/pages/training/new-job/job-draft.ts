import {
  type ApiError,
  type JobDetail,
  type JobRequest,
  type JobSettings,
  JobSettingsSchema,
  type Preset,
  type TrainerConfig,
} from '../../../../../preload/contract';
import { SETTING_FIELDS, type SettingField, type SettingKey } from './job-settings-fields';

/** A field's override as the input holds it: text for text fields, a boolean for switches. */
export type OverrideValue = string | boolean;

/** What the new-job form edits. Settings not in `overrides` come from the preset. */
export interface JobDraft {
  readonly name: string;
  readonly datasetVersionId: string;
  readonly modelPath: string;
  readonly preset: Preset;
  readonly overrides: Readonly<Partial<Record<SettingKey, OverrideValue>>>;
  readonly gpuIndices: ReadonlyArray<number>;
  /** Train on the CPU (`gpuIndices: []`): only for tiny models and tests. */
  readonly cpu: boolean;
}

/** The form's own fields besides the settings. */
export type TopField = 'name' | 'datasetVersionId' | 'modelPath' | 'gpuIndices';

/** One message per field. */
export type DraftErrors = Readonly<Partial<Record<SettingKey | TopField, string>>>;

/** An empty form: balanced preset, the given GPUs. */
export function emptyDraft(gpuIndices: ReadonlyArray<number> = []): JobDraft {
  return {
    name: '',
    datasetVersionId: '',
    modelPath: '',
    preset: 'balanced',
    overrides: {},
    gpuIndices,
    cpu: false,
  };
}

/** The text an input shows for a resolved config value (also the placeholder for preset values). */
export function displayValue(field: SettingField, value: unknown): OverrideValue {
  if (field.kind.type === 'bool') return value === true;
  if (value === null || value === undefined)
    return field.kind.type === 'int' && field.kind.nullable ? 'none' : '';
  if (Array.isArray(value)) return value.join(', ');
  return String(value);
}

/** The request a job was created with, as the core records it (`reproducibility.request`), if any. */
function recordedRequest(job: Readonly<JobDetail>): JobRequest | null {
  const request = job.reproducibility.request as Partial<JobRequest> | undefined;
  if (request === null || typeof request !== 'object') return null;
  if (typeof request.datasetVersionId !== 'string' || typeof request.modelPath !== 'string') return null;
  return request as JobRequest;
}

/**
 * A form pre-filled from an existing job (Clone): its recorded request (preset, the settings that
 * were changed, GPUs), or, for a job without one, every resolved setting of its config.
 */
export function draftFromJob(job: Readonly<JobDetail>): JobDraft {
  const request = recordedRequest(job);
  const overrides: Partial<Record<SettingKey, OverrideValue>> = {};
  for (const field of SETTING_FIELDS) {
    const value =
      request === null ? job.config[field.key as keyof TrainerConfig] : request.settings?.[field.key];
    if (value !== undefined) overrides[field.key] = displayValue(field, value);
  }
  const gpuIndices = request === null ? job.gpuIndices : request.device === 'cpu' ? [] : request.gpuIndices;
  return {
    name: `${job.name} (copy)`,
    datasetVersionId: request?.datasetVersionId ?? job.datasetVersionId ?? '',
    modelPath: request?.modelPath ?? job.baseModelPath,
    preset: request?.preset ?? 'balanced',
    overrides,
    gpuIndices: gpuIndices ?? [],
    cpu: gpuIndices !== undefined && gpuIndices.length === 0,
  };
}

function parseField(field: SettingField, raw: OverrideValue): { value?: unknown; error?: string } {
  const kind = field.kind;
  if (kind.type === 'bool') return { value: raw === true };
  const text = String(raw).trim();
  switch (kind.type) {
    case 'enum':
      return kind.options.includes(text)
        ? { value: text }
        : { error: `Choose one of ${kind.options.join(', ')}.` };
    case 'modules': {
      if (text === '' || text === 'all-linear') return { value: 'all-linear' };
      const names = text.split(/[\s,]+/).filter((name) => name !== '');
      return { value: names };
    }
    case 'int':
    case 'number': {
      if (kind.type === 'int' && kind.nullable && /^(none|off|null)$/i.test(text)) return { value: null };
      if (text === '') return { error: 'Enter a number, or reset to the preset.' };
      const value = Number(text);
      if (!Number.isFinite(value)) return { error: `"${text}" is not a number.` };
      return { value };
    }
  }
}

interface Issue {
  readonly code: string;
  readonly path: ReadonlyArray<PropertyKey>;
  readonly message: string;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly inclusive?: boolean;
  readonly expected?: unknown;
}

/** A zod issue in words a person can act on ("at least 1", "a whole number"). */
function issueMessage(issue: Issue): string {
  if (issue.code === 'too_small' && issue.minimum !== undefined)
    return issue.inclusive === false
      ? `Must be more than ${issue.minimum}.`
      : `Must be at least ${issue.minimum}.`;
  if (issue.code === 'too_big' && issue.maximum !== undefined)
    return issue.inclusive === false
      ? `Must be less than ${issue.maximum}.`
      : `Must be at most ${issue.maximum}.`;
  if (issue.code === 'invalid_type' && issue.expected === 'int') return 'Must be a whole number.';
  return issue.message;
}

/**
 * The request the draft describes, or the reasons it cannot be sent yet. Settings are checked with
 * the contract's own schema, so the form and the core agree on every range.
 */
export function requestFromDraft(draft: JobDraft): {
  readonly request: JobRequest | null;
  readonly errors: DraftErrors;
  /** The overrides that are valid so far (for the VRAM estimate while the form is incomplete). */
  readonly settings: JobSettings;
} {
  const errors: Partial<Record<SettingKey | TopField, string>> = {};
  const settings: Record<string, unknown> = {};
  for (const field of SETTING_FIELDS) {
    const raw = draft.overrides[field.key];
    if (raw === undefined) continue;
    const parsed = parseField(field, raw);
    if (parsed.error !== undefined) errors[field.key] = parsed.error;
    else settings[field.key] = parsed.value;
  }
  const checked = JobSettingsSchema.safeParse(settings);
  if (!checked.success) {
    for (const issue of checked.error.issues as ReadonlyArray<Issue>) {
      const key = issue.path[0];
      if (typeof key === 'string' && errors[key as SettingKey] === undefined)
        errors[key as SettingKey] = issueMessage(issue);
    }
  }
  if (draft.datasetVersionId.trim() === '') errors.datasetVersionId = 'Choose a frozen dataset version.';
  if (draft.modelPath.trim() === '') errors.modelPath = 'Enter the folder of a base model.';
  if (draft.name.length > 200) errors.name = 'At most 200 characters.';

  const valid = Object.fromEntries(
    Object.entries(settings).filter(([key]) => errors[key as SettingKey] === undefined),
  ) as JobSettings;
  if (Object.keys(errors).length > 0) return { request: null, errors, settings: valid };
  const name = draft.name.trim();
  const request: JobRequest = {
    ...(name === '' ? {} : { name }),
    datasetVersionId: draft.datasetVersionId.trim(),
    modelPath: draft.modelPath.trim(),
    preset: draft.preset,
    settings: (checked.success ? checked.data : {}) as JobSettings,
    // No GPU chosen: the core picks GPU 0; an empty list is an explicit CPU run.
    ...(draft.cpu
      ? { gpuIndices: [] }
      : draft.gpuIndices.length > 0
        ? { gpuIndices: [...draft.gpuIndices].sort((a, b) => a - b) }
        : {}),
  };
  return { request, errors, settings: valid };
}

/** A value for the estimate: the override when it parses, else the preset's resolved value. */
export function effectiveSetting<K extends SettingKey>(
  settings: Readonly<JobSettings>,
  resolved: Readonly<TrainerConfig> | null,
  key: K,
): JobSettings[K] | undefined {
  const own = settings[key];
  if (own !== undefined) return own;
  return resolved?.[key as keyof TrainerConfig] as JobSettings[K] | undefined;
}

const FORM_KEYS: ReadonlySet<string> = new Set([
  'name',
  'datasetVersionId',
  'modelPath',
  'gpuIndices',
  ...SETTING_FIELDS.map((field) => field.key),
]);

/**
 * Places the core's `BAD_INPUT` answer on the fields it names (`details.issues[].path`, e.g.
 * `["settings", "lora_r"]`); what names no field stays a form-level message.
 */
export function errorsFromApiError(error: ApiError): {
  readonly fields: DraftErrors;
  readonly form: string | null;
} {
  const fields: Partial<Record<SettingKey | TopField, string>> = {};
  const details = error.details as
    | { issues?: ReadonlyArray<{ path?: unknown; message?: unknown }> }
    | undefined;
  for (const issue of details?.issues ?? []) {
    const path = Array.isArray(issue.path) ? issue.path.map(String) : [];
    const key = path[0] === 'settings' ? path[1] : path[0];
    if (key !== undefined && FORM_KEYS.has(key) && typeof issue.message === 'string') {
      fields[key as SettingKey | TopField] ??= issue.message;
    }
  }
  return { fields, form: error.message };
}
