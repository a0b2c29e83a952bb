import { Check } from 'lucide-react';
import { type KeyboardEvent, useEffect } from 'react';
import type { Settings } from '../../../../preload/contract';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { PageHeader } from '../../components/page-header';
import { IS_MAC } from '../../shell/nav-items';
import { runDoctor, useDoctorStore } from '../../state/doctor-store';
import { useSettingsStore } from '../../state/settings-store';
import { AboutPanel } from './about-panel';
import { BudgetNotifySection } from './budget-notify-section';
import { DoctorPanel } from './doctor-panel';
import styles from './settings-page.module.css';
import { SETTINGS_SECTIONS } from './settings-sections';
import { type SettingsFormState, useSettingsForm } from './use-settings-form';

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
        <AboutPanel />
      </div>
    </div>
  );
}

function SettingsForm({ saved }: { saved: Readonly<Settings> }) {
  const form = useSettingsForm(saved);

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void form.save();
    }
  };

  return (
    <form className={styles.card} onSubmit={form.save} onKeyDown={onKeyDown} noValidate aria-label="Settings">
      {SETTINGS_SECTIONS.map(({ id, title, Component }) => (
        <fieldset key={id} className={styles.section} data-testid={`settings-section-${id}`}>
          <legend className={styles.legend}>{title}</legend>
          <Component form={form} />
        </fieldset>
      ))}
      <SaveBar form={form} />
    </form>
  );
}

/** Save (⌘S / Ctrl+S), Discard, and what happened to the last save. */
function SaveBar({ form }: { form: SettingsFormState }) {
  const { dirty, saving } = form;
  return (
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
        <Button variant="ghost" onClick={form.discard} data-testid="settings-discard">
          Discard changes
        </Button>
      )}
      <span role="status" className={styles.status}>
        {form.justSaved && !dirty && (
          <span className={styles.ok} data-testid="settings-saved">
            <Check size={14} aria-hidden="true" /> Saved
          </span>
        )}
      </span>
      {form.formError !== null && (
        <span className={styles.formError} role="alert" data-testid="settings-form-error">
          {form.formError}
        </span>
      )}
    </div>
  );
}
