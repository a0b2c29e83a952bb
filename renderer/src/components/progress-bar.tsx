import styles from './progress-bar.module.css';

/** How far `done` is through `total` (0…1), or null when the total is unknown or zero. */
export function fractionOf(done: number, total: number | null): number | null {
  return total !== null && total > 0 ? done / total : null;
}

/**
 * The one progress bar: determinate for a fraction (0…1, clamped), indeterminate for null. The
 * fraction is exposed as `data-fraction` for tests; absent while indeterminate.
 */
export function ProgressBar({
  value,
  label,
  size = 'small',
  testId,
}: {
  value: number | null;
  /** What is progressing, for assistive technology ("Import progress"). */
  label: string;
  size?: 'small' | 'large';
  testId?: string;
}) {
  const fraction = value === null || Number.isNaN(value) ? null : Math.min(1, Math.max(0, value));
  return (
    <div
      className={`${styles.track} ${styles[size]}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={fraction === null ? undefined : Math.round(fraction * 100)}
      data-testid={testId}
      data-fraction={fraction ?? undefined}
    >
      {fraction === null ? (
        <div className={styles.indeterminate} />
      ) : (
        <div className={styles.fill} style={{ width: `${fraction * 100}%` }} />
      )}
    </div>
  );
}
