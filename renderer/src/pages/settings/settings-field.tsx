import type { DraftKey } from './settings-form';
import styles from './settings-page.module.css';
import type { SettingsFormState } from './use-settings-form';

/** The aria attributes of a field: invalid, and described by its error, when it has one. */
export function errorProps(form: SettingsFormState, key: DraftKey) {
  return form.fieldErrors[key] === undefined
    ? { 'aria-invalid': false as const }
    : { 'aria-invalid': true as const, 'aria-describedby': `${form.ids[key]}-error` };
}

/** A field's error under it, or nothing. */
export function FieldError({
  form,
  field,
  testId,
}: {
  form: SettingsFormState;
  field: DraftKey;
  testId: string;
}) {
  const message = form.fieldErrors[field];
  if (message === undefined) return null;
  return (
    <span id={`${form.ids[field]}-error`} className={styles.fieldError} data-testid={testId}>
      {message}
    </span>
  );
}
