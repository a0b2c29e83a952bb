import { useState } from 'react';
import type { ApiError } from '../../../../../preload/contract';
import { toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { useChannel } from '../../../api/use-channel';
import { Button } from '../../../components/button';
import { formatBytes, formatDateTime, formatDuration } from '../../../format/format';
import styles from '../settings-page.module.css';

/** The database backups kept (newest first), the policy that keeps them, and "Back up now". */
export function BackupsSection() {
  const client = useClient();
  const { value, error, reload } = useChannel('backups.list', {}, []);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<ApiError | null>(null);
  const backUpNow = () => {
    setBusy(true);
    setFailure(null);
    client.call('backups.create', {}).then(
      () => {
        setBusy(false);
        reload();
      },
      (caught: unknown) => {
        setBusy(false);
        setFailure(toApiError(caught));
      },
    );
  };
  if (error) return <p className={styles.formError}>{error.message}</p>;
  if (!value) return null;
  return (
    <>
      <p className={styles.help}>
        A backup of the database is taken every {formatDuration(value.everyMs / 1000)} and when LoRA Studio
        quits (while the database is under {formatBytes(value.exitMaxBytes)}); the last {value.rollingKept}{' '}
        are kept in <code>{value.dir}</code>. Restore one with <code>lora-studio db restore FILE</code> while
        the app is closed, or from the start-up screen if the database cannot be opened.
      </p>
      {value.backups.length === 0 ? (
        <p className={styles.help} data-testid="backups-empty">
          No backups yet.
        </p>
      ) : (
        <dl className={styles.facts} data-testid="backups-list">
          {value.backups.map((b) => (
            <div key={b.name} className={styles.factRow} data-testid="backup-row">
              <dt>
                {formatDateTime(b.createdAt)} · {b.kind === 'rolling' ? 'rolling' : 'before a migration'}
              </dt>
              <dd>
                {formatBytes(b.sizeBytes)} · <code>{b.name}</code>
              </dd>
            </div>
          ))}
        </dl>
      )}
      <div className={styles.actions}>
        <Button onClick={backUpNow} disabled={busy} data-testid="backup-now">
          {busy ? 'Backing up…' : 'Back up now'}
        </Button>
        {failure && <span className={styles.formError}>{failure.message}</span>}
      </div>
    </>
  );
}
