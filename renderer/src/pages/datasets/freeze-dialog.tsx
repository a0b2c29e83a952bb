import { useState } from 'react';
import type { ApiError, DatasetVersion } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ProgressBar } from '../../components/progress-bar';
import { formatCount } from '../../format/format';
import styles from './datasets.module.css';

/** Freezes the valid live rows with their split into a numbered, checksummed version that jobs train on. */
export function FreezeDialog({
  datasetId,
  valid,
  onClose,
  onFrozen,
}: {
  datasetId: string;
  valid: number;
  onClose: () => void;
  onFrozen: (version: DatasetVersion) => void;
}) {
  const client = useClient();
  const [note, setNote] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const freeze = async () => {
    setRunning(true);
    setError(null);
    try {
      const version = await client.call('datasets.freeze', {
        id: datasetId,
        ...(note.trim() === '' ? {} : { note: note.trim() }),
      });
      onFrozen(version);
    } catch (caught) {
      setError(toApiError(caught));
      setRunning(false);
    }
  };

  return (
    <Dialog
      title="Freeze a version"
      onClose={onClose}
      size="small"
      testId="freeze-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" onClick={freeze} disabled={running} data-testid="freeze-confirm">
            {running ? 'Freezing…' : 'Freeze'}
          </Button>
        </>
      }
    >
      <p className={styles.muted}>
        Writes the {formatCount(valid)} valid rows (not deleted) with their train/val split to a file with a
        sha256. Training jobs use frozen versions, so later edits never change a run.
      </p>
      <label className={styles.stack}>
        <span className={styles.fieldLabel}>Note (optional)</span>
        <textarea
          className={styles.textarea}
          rows={3}
          maxLength={1000}
          value={note}
          onChange={(event) => setNote(event.target.value)}
          placeholder="deduped, 10% val"
          data-testid="freeze-note"
        />
      </label>
      {running && <ProgressBar value={null} label="Freezing" />}
      {error !== null && (
        <p className={styles.error} role="alert" data-testid="freeze-error">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
