import styles from './progress-bar.module.css';

/** A determinate bar when `total` is known, an indeterminate one otherwise. */
export function ProgressBar({
  done,
  total,
  label,
  testId,
}: {
  done: number;
  total: number | null;
  /** What is progressing, for assistive technology ("Import progress"). */
  label: string;
  testId?: string;
}) {
  const fraction = total !== null && total > 0 ? Math.min(1, Math.max(0, done / total)) : null;
  return (
    <div
      className={styles.track}
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
