import { type FormEvent, useEffect, useId, useState } from 'react';
import type { Settings } from '../../../../preload/contract';
import { ApiCallError, toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { useSettingsStore } from '../../state/settings-store';
import {
  DRAFT_KEYS,
  type DraftKey,
  draftFromSettings,
  errorsFromApiError,
  type FieldErrors,
  patchFromDraft,
  type SettingsDraft,
} from './settings-form';

/** What every Settings section gets: the draft, its errors and ids, and a way to change one field. */
export interface SettingsFormState {
  readonly draft: SettingsDraft;
  readonly update: <K extends DraftKey>(key: K, value: SettingsDraft[K]) => void;
  readonly fieldErrors: FieldErrors;
  /** Stable element ids per field (labels, error descriptions, focusing the first error). */
  readonly ids: Readonly<Record<DraftKey, string>>;
  readonly dirty: boolean;
  readonly saving: boolean;
  readonly justSaved: boolean;
  readonly formError: string | null;
  readonly save: (event?: FormEvent) => Promise<void>;
  readonly discard: () => void;
}

/** The Settings form's draft against the saved settings: edit, save through `settings.update`, discard. */
export function useSettingsForm(saved: Readonly<Settings>): SettingsFormState {
  const client = useClient();
  const [base, setBase] = useState(saved);
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFromSettings(saved));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [justSaved, setJustSaved] = useState(false);
  const ids = useFieldIds();

  const { patch, errors: parseErrors } = patchFromDraft(draft, saved);
  const dirty = Object.keys(patch).length > 0 || Object.keys(parseErrors).length > 0;

  // Settings changed elsewhere (CLI, another window): follow them unless the user is mid-edit.
  useEffect(() => {
    if (saved === base) return;
    const untouched = Object.keys(patchFromDraft(draft, base).patch).length === 0;
    setBase(saved);
    if (untouched) setDraft(draftFromSettings(saved));
  }, [saved, base, draft]);

  const update = <K extends DraftKey>(key: K, value: SettingsDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
    setFieldErrors((current) => {
      if (current[key] === undefined) return current;
      const { [key]: _removed, ...rest } = current;
      return rest;
    });
    setFormError(null);
    setJustSaved(false);
  };

  const focusFirstError = (errors: FieldErrors) => {
    const first = DRAFT_KEYS.find((key) => errors[key] !== undefined);
    if (first !== undefined) document.getElementById(ids[first])?.focus();
  };

  const save = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!dirty || saving) return;
    if (Object.keys(parseErrors).length > 0) {
      setFieldErrors(parseErrors);
      focusFirstError(parseErrors);
      return;
    }
    setSaving(true);
    setFormError(null);
    try {
      const next = await client.call('settings.update', patch);
      useSettingsStore.setState({ settings: next, error: null });
      setBase(next);
      setDraft(draftFromSettings(next));
      setFieldErrors({});
      setJustSaved(true);
    } catch (caught) {
      if (caught instanceof ApiCallError && caught.code === 'BAD_INPUT') {
        const placed = errorsFromApiError(caught.toApiError());
        setFieldErrors(placed.fields);
        setFormError(placed.form);
        focusFirstError(placed.fields);
      } else {
        setFormError(`Not saved: ${toApiError(caught).message}`);
      }
    } finally {
      setSaving(false);
    }
  };

  const discard = () => {
    setDraft(draftFromSettings(saved));
    setFieldErrors({});
    setFormError(null);
  };

  return { draft, update, fieldErrors, ids, dirty, saving, justSaved, formError, save, discard };
}

function useFieldIds(): Readonly<Record<DraftKey, string>> {
  const prefix = useId();
  return Object.fromEntries(DRAFT_KEYS.map((key) => [key, `${prefix}-${key.replace('.', '-')}`])) as Record<
    DraftKey,
    string
  >;
}
