import { DetectedPython } from '../doctor-panel';
import { PythonSetup } from '../python-setup';
import { errorProps, FieldError } from '../settings-field';
import styles from '../settings-page.module.css';
import type { SettingsFormState } from '../use-settings-form';

/** The trainer's Python interpreter: typed, detected, or set up in the data folder. */
export function PythonSection({ form }: { form: SettingsFormState }) {
  return (
    <div className={styles.row}>
      <label className={styles.label} htmlFor={form.ids['python.path']}>
        Interpreter
      </label>
      <div className={styles.control}>
        <input
          id={form.ids['python.path']}
          className={`${styles.input} ${styles.wide}`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="Detected automatically"
          value={form.draft['python.path']}
          onChange={(event) => form.update('python.path', event.target.value)}
          data-testid="settings-python"
          {...errorProps(form, 'python.path')}
        />
        <FieldError form={form} field="python.path" testId="settings-python-error" />
        <DetectedPython />
        <PythonSetup />
      </div>
    </div>
  );
}
