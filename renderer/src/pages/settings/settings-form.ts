import type { ApiError, Settings, SettingsPatch } from '../../../../preload/contract';

/** What the Settings form edits: the settings it shows, as the inputs hold them (text stays text). */
export interface SettingsDraft {
  readonly 'python.path': string;
  readonly 'energy.pricePerKwh': string;
  readonly 'energy.currency': string;
  readonly 'notifications.onCompleted': boolean;
  readonly 'notifications.onFailed': boolean;
  readonly 'ui.theme': Settings['ui.theme'];
}

/** A setting the form edits. */
export type DraftKey = keyof SettingsDraft;

/** One message per field. */
export type FieldErrors = Readonly<Partial<Record<DraftKey, string>>>;

/** The form's keys, in display order (also the order errors are focused in). */
export const DRAFT_KEYS: ReadonlyArray<DraftKey> = [
  'python.path',
  'energy.pricePerKwh',
  'energy.currency',
  'notifications.onCompleted',
  'notifications.onFailed',
  'ui.theme',
];

/** The draft that shows `settings` unchanged. */
export function draftFromSettings(settings: Readonly<Settings>): SettingsDraft {
  return {
    'python.path': settings['python.path'] ?? '',
    'energy.pricePerKwh': String(settings['energy.pricePerKwh']),
    'energy.currency': settings['energy.currency'],
    'notifications.onCompleted': settings['notifications.onCompleted'],
    'notifications.onFailed': settings['notifications.onFailed'],
    'ui.theme': settings['ui.theme'],
  };
}

/**
 * The patch that turns `saved` into what the draft shows, holding only what changed. Only what the
 * browser cannot send is checked here (a price that is not a number); ranges and formats are the
 * core's to judge, and its `BAD_INPUT` message is shown on the field.
 */
export function patchFromDraft(
  draft: SettingsDraft,
  saved: Readonly<Settings>,
): { readonly patch: SettingsPatch; readonly errors: FieldErrors } {
  const patch: { -readonly [K in keyof SettingsPatch]: SettingsPatch[K] } = {};
  const errors: Partial<Record<DraftKey, string>> = {};

  const pythonPath = draft['python.path'].trim() === '' ? null : draft['python.path'].trim();
  if (pythonPath !== saved['python.path']) patch['python.path'] = pythonPath;

  const priceText = draft['energy.pricePerKwh'].trim();
  const price = priceText === '' ? Number.NaN : Number(priceText);
  if (Number.isNaN(price)) {
    errors['energy.pricePerKwh'] =
      'Enter the price as a number, for example 0.30 (0 if electricity is free).';
  } else if (price !== saved['energy.pricePerKwh']) {
    patch['energy.pricePerKwh'] = price;
  }

  const currency = draft['energy.currency'].trim();
  if (currency !== saved['energy.currency']) patch['energy.currency'] = currency;

  for (const key of ['notifications.onCompleted', 'notifications.onFailed', 'ui.theme'] as const) {
    if (draft[key] !== saved[key]) Object.assign(patch, { [key]: draft[key] });
  }
  return { patch, errors };
}

const isDraftKey = (value: unknown): value is DraftKey =>
  typeof value === 'string' && (DRAFT_KEYS as ReadonlyArray<string>).includes(value);

/** Issues in the shapes a validation error's `details` may take: zod issues, or `{ issues }`, or `{ key }`. */
function issuesOf(details: unknown): ReadonlyArray<{ key: unknown; message: unknown }> {
  if (Array.isArray(details)) {
    return details.map((issue: unknown) => {
      const record = (issue ?? {}) as { path?: unknown; key?: unknown; message?: unknown };
      const key = Array.isArray(record.path) ? record.path[0] : (record.path ?? record.key);
      return { key, message: record.message };
    });
  }
  if (details !== null && typeof details === 'object') {
    const record = details as { issues?: unknown; key?: unknown; path?: unknown; message?: unknown };
    if (Array.isArray(record.issues)) return issuesOf(record.issues);
    const key = Array.isArray(record.path) ? record.path[0] : (record.key ?? record.path);
    if (key !== undefined) return [{ key, message: record.message }];
  }
  return [];
}

/**
 * Places the core's `BAD_INPUT` answer on the fields it is about: by the issue paths in `details`
 * when there are any, otherwise by the "`key`: message" parts of the message, otherwise by the setting
 * key the message names; what names no field is a form-level message.
 */
export function errorsFromApiError(error: ApiError): {
  readonly fields: FieldErrors;
  readonly form: string | null;
} {
  const fields: Partial<Record<DraftKey, string>> = {};
  for (const issue of issuesOf(error.details)) {
    if (isDraftKey(issue.key) && fields[issue.key] === undefined) {
      fields[issue.key] =
        typeof issue.message === 'string' && issue.message !== '' ? issue.message : error.message;
    }
  }
  if (Object.keys(fields).length === 0) {
    // The core words its issues as "`energy.currency`: a three-letter ISO 4217 code …; `…`: …".
    for (const match of error.message.matchAll(/`([\w.]+)`: ([^;]+)/g)) {
      const [, key, message] = match;
      if (isDraftKey(key) && message !== undefined && fields[key] === undefined) fields[key] = message.trim();
    }
  }
  if (Object.keys(fields).length === 0) {
    for (const key of DRAFT_KEYS.filter((candidate) => error.message.includes(candidate))) {
      fields[key] = error.message;
    }
  }
  return { fields, form: Object.keys(fields).length === 0 ? error.message : null };
}
