import { useState } from 'react';
import type { ApiError, StartupFailure } from '../../../preload/contract';
import { toApiError } from '../api/api-call-error';
import { useClient } from '../api/client-context';
import { Button } from '../components/button';
import { formatBytes, formatDateTime } from '../format/format';
import styles from './startup-screen.module.css';

/**
 * On the start-up error screen of a database that could not be opened: the backups kept, newest
 * first, each with "Restore this backup" (the damaged file is kept beside the database).
 */
export function RestoreBackups({
  failure,
  onRestored,
}: {
  failure: StartupFailure;
  onRestored: () => Promise<void>;
}) {
  const client = useClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  if (failure.backups.length === 0) {
    return <p className={styles.muted}>There is no backup of this database to restore.</p>;
  }
  const restore = async (name: string) => {
    setBusy(name);
    setError(null);
    try {
      await client.call('startup.restoreBackup', { name });
      await onRestored();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(null);
    }
  };
  return (
    <>
      <p className={styles.muted}>
        Restore a backup to open the app on it; the damaged database is kept beside it, nothing is deleted.
      </p>
      <ul className={styles.backups} data-testid="startup-backups">
        {failure.backups.map((b) => (
          <li key={b.name} className={styles.backup} data-testid="startup-backup">
            <span>
              {formatDateTime(b.createdAt)} · {b.kind === 'rolling' ? 'rolling' : 'before a migration'} ·{' '}
              {formatBytes(b.sizeBytes)}
              {b.name === failure.suggested ? ' (taken just before the failed step)' : ''}
            </span>
            <Button
              variant={b === failure.backups[0] ? 'primary' : 'secondary'}
              disabled={busy !== null}
              onClick={() => void restore(b.name)}
              data-testid="startup-restore"
            >
              {busy === b.name ? 'Restoring…' : 'Restore this backup'}
            </Button>
          </li>
        ))}
      </ul>
      {error && (
        <p className={styles.message} data-testid="startup-restore-error">
          {error.message}
        </p>
      )}
    </>
  );
}
