import type { DraftErrors, TopField } from './job-draft';
import styles from './new-job.module.css';

/** The aria attributes of a top field: invalid, and described by its error, when it has one. */
export function invalidProps(errors: DraftErrors, key: TopField) {
  return errors[key] === undefined
    ? { 'aria-invalid': false as const }
    : { 'aria-invalid': true as const, 'aria-describedby': `${key}-error` };
}

/** A top field's error under it, or nothing. */
export function FieldError({ errors, field }: { errors: DraftErrors; field: TopField }) {
  const message = errors[field];
  if (message === undefined) return null;
  return (
    <span id={`${field}-error`} className={styles.fieldError} data-testid={`job-${field}-error`}>
      {message}
    </span>
  );
}
