import type { SettingsDraft } from '../settings-form';
import styles from '../settings-page.module.css';
import type { SettingsFormState } from '../use-settings-form';

/** Light, dark, or following the system. */
export function AppearanceSection({ form }: { form: SettingsFormState }) {
  return (
    <div className={styles.row}>
      <label className={styles.label} htmlFor={form.ids['ui.theme']}>
        Theme
      </label>
      <select
        id={form.ids['ui.theme']}
        className={styles.input}
        value={form.draft['ui.theme']}
        onChange={(event) => form.update('ui.theme', event.target.value as SettingsDraft['ui.theme'])}
        data-testid="settings-theme"
      >
        <option value="system">Same as the system</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </div>
  );
}
