import { Check } from 'lucide-react';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useState } from 'react';
import type { Settings } from '../../../../preload/contract';
import { ApiCallError, toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { PageHeader } from '../../components/page-header';
import { IS_MAC } from '../../shell/nav-items';
import { useAppInfoStore } from '../../state/app-info-store';
import { runDoctor, useDoctorStore } from '../../state/doctor-store';
import { useSettingsStore } from '../../state/settings-store';
import { BudgetNotifySection } from './budget-notify-section';
import { DetectedPython, DoctorPanel } from './doctor-panel';
import { PythonSetup } from './python-setup';
import {
  DRAFT_KEYS,
  type DraftKey,
  draftFromSettings,
  errorsFromApiError,
  type FieldErrors,
  patchFromDraft,
  type SettingsDraft,
} from './settings-form';
import styles from './settings-page.module.css';

/** Settings: storage locations, Python, electricity price, notifications, theme, and system checks. */
export function SettingsPage() {
  const client = useClient();
  const saved = useSettingsStore((state) => state.settings);
  const loadError = useSettingsStore((state) => state.error);
  const doctorRan = useDoctorStore((state) => state.ranAt !== null || state.running);

  useEffect(() => {
    if (!doctorRan) void runDoctor(client);
  }, [client, doctorRan]);

  return (
    <div data-testid="page-settings">
      <PageHeader
        title="Settings"
        description="Stored in this data folder's database; shared by the app, serve mode and the CLI."
      />
      <div className={styles.layout}>
        {saved === null ? (
          <p
            className={loadError === null ? styles.help : styles.formError}
            role={loadError === null ? undefined : 'alert'}
          >
            {loadError === null ? 'Loading settings…' : `Settings could not be loaded: ${loadError.message}`}
          </p>
        ) : (
          <SettingsForm saved={saved} />
        )}
        <BudgetNotifySection />
        <DoctorPanel />
      </div>
    </div>
  );
}

function SettingsForm({ saved }: { saved: Readonly<Settings> }) {
  const client = useClient();
  const info = useAppInfoStore((state) => state.info);
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

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void save();
    }
  };

  const errorProps = (key: DraftKey) =>
    fieldErrors[key] === undefined
      ? { 'aria-invalid': false as const }
      : { 'aria-invalid': true as const, 'aria-describedby': `${ids[key]}-error` };

  const fieldError = (key: DraftKey, testId: string) =>
    fieldErrors[key] !== undefined && (
      <span id={`${ids[key]}-error`} className={styles.fieldError} data-testid={testId}>
        {fieldErrors[key]}
      </span>
    );

  return (
    <form className={styles.card} onSubmit={save} onKeyDown={onKeyDown} noValidate aria-label="Settings">
      <fieldset className={styles.section}>
        <legend className={styles.legend}>Storage</legend>
        <div className={styles.row}>
          <span className={styles.label}>Data folder</span>
          <code className={styles.path} data-testid="settings-data-dir">
            {info?.dataDir ?? '–'}
          </code>
        </div>
        <div className={styles.row}>
          <span className={styles.label}>Database</span>
          <code className={styles.path} data-testid="settings-db-path">
            {info?.dbPath ?? '–'}
          </code>
        </div>
        <p className={styles.help}>
          Change the data folder with <code>--data-dir</code> or <code>LORA_STUDIO_HOME</code> when starting
          LoRA Studio.
        </p>
      </fieldset>

      <fieldset className={styles.section}>
        <legend className={styles.legend}>Python</legend>
        <div className={styles.row}>
          <label className={styles.label} htmlFor={ids['python.path']}>
            Interpreter
          </label>
          <div className={styles.control}>
            <input
              id={ids['python.path']}
              className={`${styles.input} ${styles.wide}`}
              type="text"
              spellCheck={false}
              autoComplete="off"
              placeholder="Detected automatically"
              value={draft['python.path']}
              onChange={(event) => update('python.path', event.target.value)}
              data-testid="settings-python"
              {...errorProps('python.path')}
            />
            {fieldError('python.path', 'settings-python-error')}
            <DetectedPython />
            <PythonSetup />
          </div>
        </div>
      </fieldset>

      <fieldset className={styles.section}>
        <legend className={styles.legend}>Electricity</legend>
        <div className={styles.row}>
          <label className={styles.label} htmlFor={ids['energy.pricePerKwh']}>
            Price per kWh
          </label>
          <div className={styles.control}>
            <input
              id={ids['energy.pricePerKwh']}
              className={`${styles.input} ${styles.narrow}`}
              type="number"
              inputMode="decimal"
              min={0}
              step="any"
              value={draft['energy.pricePerKwh']}
              onChange={(event) => update('energy.pricePerKwh', event.target.value)}
              data-testid="settings-price"
              {...errorProps('energy.pricePerKwh')}
            />
            {fieldError('energy.pricePerKwh', 'settings-price-error')}
          </div>
        </div>
        <div className={styles.row}>
          <label className={styles.label} htmlFor={ids['energy.currency']}>
            Currency
          </label>
          <div className={styles.control}>
            <input
              id={ids['energy.currency']}
              className={`${styles.input} ${styles.narrow}`}
              type="text"
              spellCheck={false}
              autoComplete="off"
              maxLength={3}
              value={draft['energy.currency']}
              onChange={(event) => update('energy.currency', event.target.value.toUpperCase())}
              data-testid="settings-currency"
              {...errorProps('energy.currency')}
              aria-describedby={
                fieldErrors['energy.currency'] === undefined
                  ? `${ids['energy.currency']}-help`
                  : `${ids['energy.currency']}-error ${ids['energy.currency']}-help`
              }
            />
            {fieldError('energy.currency', 'settings-currency-error')}
            <span id={`${ids['energy.currency']}-help`} className={styles.help}>
              ISO 4217 code, such as EUR or USD. Used for the cost of each training run.
            </span>
          </div>
        </div>
      </fieldset>

      <fieldset className={styles.section}>
        <legend className={styles.legend}>Notifications</legend>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={draft['notifications.onCompleted']}
            onChange={(event) => update('notifications.onCompleted', event.target.checked)}
            data-testid="settings-notify-completed"
          />
          Notify me when a training run completes
        </label>
        <label className={styles.check}>
          <input
            type="checkbox"
            checked={draft['notifications.onFailed']}
            onChange={(event) => update('notifications.onFailed', event.target.checked)}
            data-testid="settings-notify-failed"
          />
          Notify me when a training run fails
        </label>
      </fieldset>

      <fieldset className={styles.section}>
        <legend className={styles.legend}>Appearance</legend>
        <div className={styles.row}>
          <label className={styles.label} htmlFor={ids['ui.theme']}>
            Theme
          </label>
          <select
            id={ids['ui.theme']}
            className={styles.input}
            value={draft['ui.theme']}
            onChange={(event) => update('ui.theme', event.target.value as SettingsDraft['ui.theme'])}
            data-testid="settings-theme"
          >
            <option value="system">Same as the system</option>
            <option value="light">Light</option>
            <option value="dark">Dark</option>
          </select>
        </div>
      </fieldset>

      <div className={styles.actions}>
        <Button
          type="submit"
          variant="primary"
          disabled={!dirty || saving}
          data-testid="settings-save"
          title={IS_MAC ? 'Save (⌘S)' : 'Save (Ctrl+S)'}
        >
          {saving ? 'Saving…' : 'Save'}
        </Button>
        {dirty && !saving && (
          <Button variant="ghost" onClick={discard} data-testid="settings-discard">
            Discard changes
          </Button>
        )}
        <span role="status" className={styles.status}>
          {justSaved && !dirty && (
            <span className={styles.ok} data-testid="settings-saved">
              <Check size={14} aria-hidden="true" /> Saved
            </span>
          )}
        </span>
        {formError !== null && (
          <span className={styles.formError} role="alert" data-testid="settings-form-error">
            {formError}
          </span>
        )}
      </div>
    </form>
  );
}

/** Stable element ids for each field (labels, error descriptions, focusing the first error). */
function useFieldIds(): Readonly<Record<DraftKey, string>> {
  const prefix = useId();
  return Object.fromEntries(DRAFT_KEYS.map((key) => [key, `${prefix}-${key.replace('.', '-')}`])) as Record<
    DraftKey,
    string
  >;
}
