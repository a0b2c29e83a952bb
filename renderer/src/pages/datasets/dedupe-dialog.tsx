import { useId, useState } from 'react';
import type { ApiError, DedupePreview } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { fractionOf, ProgressBar } from '../../components/progress-bar';
import { formatCount } from '../../format/format';
import styles from './datasets.module.css';
import { useKindProgress } from './use-kind-progress';

type Mode = 'exact' | 'near';

/** Finds duplicate rows (exact, or near with a similarity threshold), previews them, then deletes them. */
export function DedupeDialog({
  datasetId,
  onClose,
  onApplied,
  onShowDuplicates,
}: {
  datasetId: string;
  onClose: () => void;
  onApplied: () => void;
  /** Show the duplicate rows in the row browser. */
  onShowDuplicates: () => void;
}) {
  const client = useClient();
  const ids = useId();
  const [mode, setMode] = useState<Mode>('exact');
  const [threshold, setThreshold] = useState(0.9);
  const [preview, setPreview] = useState<DedupePreview | null>(null);
  const [busy, setBusy] = useState<'preview' | 'apply' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  // Near dedupe runs as a task in a worker: follow its progress, and cancel it by its id.
  const progress = useKindProgress('datasets.dedupe', busy !== null);

  const run = async (apply: boolean) => {
    setBusy(apply ? 'apply' : 'preview');
    setError(null);
    try {
      const result = await client.call('datasets.dedupe', {
        id: datasetId,
        mode,
        ...(mode === 'near' ? { threshold } : {}),
        apply,
      });
      setPreview(result);
      if (apply) onApplied();
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setBusy(null);
    }
  };

  const change = (next: () => void) => {
    next();
    setPreview(null);
  };

  const applied = preview?.applied === true;

  return (
    <Dialog
      title="Remove duplicates"
      onClose={onClose}
      testId="dedupe-dialog"
      footer={
        applied ? (
          <Button variant="primary" onClick={onClose} data-testid="dedupe-done">
            Done
          </Button>
        ) : (
          <>
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button onClick={() => run(false)} disabled={busy !== null} data-testid="dedupe-preview">
              {busy === 'preview' ? 'Looking…' : 'Preview'}
            </Button>
            <Button
              variant="primary"
              onClick={() => run(true)}
              disabled={busy !== null || preview === null || preview.duplicates === 0}
              data-testid="dedupe-apply"
            >
              {busy === 'apply'
                ? 'Removing…'
                : `Delete ${preview === null ? '' : formatCount(preview.duplicates)} duplicates`}
            </Button>
          </>
        )
      }
    >
      <fieldset className={styles.radios} disabled={busy !== null || applied}>
        <legend className={styles.fieldLabel}>Match</legend>
        <label>
          <input
            type="radio"
            name={`${ids}-mode`}
            checked={mode === 'exact'}
            onChange={() => change(() => setMode('exact'))}
            data-testid="dedupe-exact"
          />
          Exact: identical rows (same content hash)
        </label>
        <label>
          <input
            type="radio"
            name={`${ids}-mode`}
            checked={mode === 'near'}
            onChange={() => change(() => setMode('near'))}
            data-testid="dedupe-near"
          />
          Near: similar text, at or above a similarity threshold
        </label>
        {mode === 'near' && (
          <label className={styles.slider}>
            <span>Similarity ≥ {threshold.toFixed(2)}</span>
            <input
              type="range"
              min={0.5}
              max={1}
              step={0.01}
              value={threshold}
              onChange={(event) => change(() => setThreshold(Number(event.target.value)))}
              data-testid="dedupe-threshold"
            />
          </label>
        )}
      </fieldset>
      {busy !== null && (
        <div className={styles.inline}>
          <div className={styles.grow}>
            <ProgressBar
              value={fractionOf(progress?.done ?? 0, progress?.total ?? null)}
              label="Looking for duplicates"
              testId="dedupe-progress"
            />
          </div>
          {progress !== null && (
            <Button
              variant="ghost"
              onClick={() => void client.call('tasks.cancel', { taskId: progress.taskId })}
              data-testid="dedupe-cancel"
            >
              Cancel
            </Button>
          )}
        </div>
      )}
      {error !== null && (
        <p className={styles.error} role="alert" data-testid="dedupe-error">
          {error.message}
        </p>
      )}
      {preview !== null && (
        <div className={styles.resultBox} data-testid="dedupe-result">
          <p data-testid="dedupe-summary">
            {applied
              ? `Deleted ${formatCount(preview.duplicates)} duplicate rows from ${formatCount(preview.groups)} groups; the first row of each group was kept. Deleted rows can be restored.`
              : preview.duplicates === 0
                ? 'No duplicates found.'
                : `${formatCount(preview.groups)} groups, ${formatCount(preview.duplicates)} rows would be deleted (the first row of each group is kept).`}
          </p>
          {preview.sample.length > 0 && (
            <ul className={styles.groups} data-testid="dedupe-groups">
              {preview.sample.map((group) => (
                <li key={group.keep} data-testid="dedupe-group">
                  keep <code data-testid="dedupe-keep">{group.keepLabel}</code> · remove{' '}
                  {group.remove.map((id, i) => (
                    <code key={id} data-testid="dedupe-remove">
                      {group.removeLabels[i]}
                    </code>
                  ))}
                </li>
              ))}
            </ul>
          )}
          {!applied && preview.duplicates > 0 && (
            <Button variant="ghost" onClick={onShowDuplicates} data-testid="dedupe-show">
              Show duplicate rows
            </Button>
          )}
        </div>
      )}
    </Dialog>
  );
}
