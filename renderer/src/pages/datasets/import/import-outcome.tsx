import { fractionOf, ProgressBar } from '../../../components/progress-bar';
import { formatBytes } from '../../../format/format';
import styles from '../datasets.module.css';
import type { ImportPhase } from './import-state';

/** Step 3: the running import's progress in bytes, or how it ended when it did not open the dataset. */
export function ImportOutcome({ phase }: { phase: ImportPhase }) {
  switch (phase.kind) {
    case 'edit':
      return null;
    case 'running': {
      const { progress } = phase;
      const done = progress?.done ?? 0;
      const total = progress?.total ?? null;
      return (
        <div className={styles.progress} data-testid="import-progress">
          <ProgressBar value={fractionOf(done, total)} label="Import progress" testId="import-progress-bar" />
          <div className={styles.progressText}>
            <span>
              {progress === null
                ? 'Starting…'
                : total === null
                  ? formatBytes(done)
                  : `${formatBytes(done)} of ${formatBytes(total)}`}
            </span>
            <span data-testid="import-progress-message">{progress?.message ?? ''}</span>
          </div>
        </div>
      );
    }
    case 'failed':
      return (
        <div className={styles.errorBox} role="alert" data-testid="import-error">
          <strong>Import failed.</strong>
          <pre className={styles.errorText}>{phase.error.message}</pre>
        </div>
      );
    case 'cancelled':
      return (
        <p className={styles.muted} role="status" data-testid="import-cancelled">
          Import cancelled; nothing was imported.
        </p>
      );
  }
}
