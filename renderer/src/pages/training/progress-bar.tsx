import styles from './progress-bar.module.css';

/** A thin determinate progress bar (0…1), or an indeterminate one when `value` is null. */
export function ProgressBar({
  value,
  label,
  size = 'small',
  testId,
}: {
  value: number | null;
  label: string;
  size?: 'small' | 'large';
  testId?: string;
}) {
  const clamped = value === null ? null : Math.min(1, Math.max(0, value));
  return (
    <div
      className={`${styles.track} ${styles[size]}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={clamped === null ? undefined : Math.round(clamped * 100)}
      data-testid={testId}
      data-value={clamped ?? ''}
    >
      <div
        className={clamped === null ? styles.indeterminate : styles.fill}
        style={clamped === null ? undefined : { width: `${clamped * 100}%` }}
      />
    </div>
  );
}
