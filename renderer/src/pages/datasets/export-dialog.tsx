import { useId, useState } from 'react';
import type { ApiError, DatasetVersion } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { formatBytes, formatCount } from '../../format/format';
import styles from './datasets.module.css';

/** Exports a frozen version as JSONL, canonical or in the source's shape, to a path on the core's disk. */
export function ExportDialog({ version, onClose }: { version: DatasetVersion; onClose: () => void }) {
  const client = useClient();
  const [shape, setShape] = useState<'canonical' | 'original'>('canonical');
  const [path, setPath] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [result, setResult] = useState<{ path: string; rows: number; bytes: number } | null>(null);
  const pathId = useId();
  // Desktop only: a native save dialog fills the destination (cancelling it leaves what is there).
  const desktop = window.desktop;
  const choose = async () => {
    const picked = await desktop?.pickPath({
      mode: 'save',
      title: `Export v${version.version}`,
      defaultPath: path.trim() === '' ? undefined : path.trim(),
      filters: [{ name: 'JSONL', extensions: ['jsonl'] }],
    });
    if (picked != null) setPath(picked);
  };

  const run = async () => {
    setRunning(true);
    setError(null);
    try {
      setResult(await client.call('datasets.export', { versionId: version.id, shape, path: path.trim() }));
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      title={`Export v${version.version}`}
      onClose={onClose}
      testId="export-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            {result === null ? 'Cancel' : 'Done'}
          </Button>
          <Button
            variant="primary"
            onClick={run}
            disabled={running || path.trim() === ''}
            data-testid="export-confirm"
          >
            {running ? 'Exporting…' : 'Export'}
          </Button>
        </>
      }
    >
      <label className={styles.stack}>
        <span className={styles.fieldLabel}>Shape</span>
        <select
          className={styles.input}
          value={shape}
          onChange={(event) => setShape(event.target.value as 'canonical' | 'original')}
          data-testid="export-shape"
        >
          <option value="canonical">
            Canonical: {'{"messages": [...]}'} or {'{"text": ...}'}
          </option>
          <option value="original">Original: each row as it was in the source file</option>
        </select>
      </label>
      <div className={styles.stack}>
        <label htmlFor={pathId} className={styles.fieldLabel}>
          Destination on the server's disk
        </label>
        <div className={styles.inline}>
          <input
            id={pathId}
            className={`${styles.input} ${styles.mono} ${styles.grow}`}
            type="text"
            spellCheck={false}
            placeholder="/home/me/exports/train-v1.jsonl"
            value={path}
            onChange={(event) => setPath(event.target.value)}
            data-testid="export-path"
          />
          {desktop !== undefined && (
            <Button onClick={() => void choose()} disabled={running} data-testid="export-choose">
              Choose…
            </Button>
          )}
        </div>
      </div>
      {error !== null && (
        <p className={styles.error} role="alert" data-testid="export-error">
          {error.message}
        </p>
      )}
      {result !== null && (
        <p className={styles.resultBox} role="status" data-testid="export-result">
          Wrote {formatCount(result.rows)} rows ({formatBytes(result.bytes)}) to <code>{result.path}</code>
        </p>
      )}
    </Dialog>
  );
}
