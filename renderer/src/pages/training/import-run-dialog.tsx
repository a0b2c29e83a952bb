import { useState } from 'react';
import type { ApiError, ImportRunResult } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import styles from './import-run-dialog.module.css';

/** Registers a finished run from elsewhere (a cluster bundle or a run folder) as a job. */
export function ImportRunDialog({
  onClose,
  onImported,
}: {
  onClose: () => void;
  onImported: (job: ImportRunResult) => void;
}) {
  const client = useClient();
  const [dir, setDir] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async () => {
    setRunning(true);
    setError(null);
    try {
      onImported(await client.call('cluster.importRun', { dir: dir.trim() }));
    } catch (caught) {
      setError(toApiError(caught));
      setRunning(false);
    }
  };

  return (
    <Dialog
      title="Import a run"
      onClose={onClose}
      size="small"
      testId="import-run-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="primary"
            onClick={submit}
            disabled={running || dir.trim() === ''}
            data-testid="import-run-confirm"
          >
            {running ? 'Importing…' : 'Import'}
          </Button>
        </>
      }
    >
      <p className={styles.muted}>
        A run that trained elsewhere — an exported bundle (<code>lora-studio jobs export</code>) or a finished
        run folder with <code>events.jsonl</code> — is copied into the library with its metrics, checkpoints
        and adapter.
      </p>
      <label className={styles.stack}>
        <span className={styles.fieldLabel}>Folder on this machine</span>
        <input
          className={styles.input}
          value={dir}
          onChange={(event) => setDir(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && dir.trim() !== '' && !running) void submit();
          }}
          placeholder="/shared/bundles/run1"
          spellCheck={false}
          data-testid="import-run-path"
        />
      </label>
      {error !== null && (
        <p className={styles.error} role="alert" data-testid="import-run-error">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
