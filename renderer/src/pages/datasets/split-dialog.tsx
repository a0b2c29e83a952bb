import { useId, useState } from 'react';
import type { ApiError, DatasetStats } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { formatCount } from '../../format/format';
import styles from './datasets.module.css';
import { changedBeforeCancel, TaskProgressRow } from './task-progress-row';

/** Splits the valid live rows into train and validation, by ratio or count, reproducibly by seed. */
export function SplitDialog({
  datasetId,
  current,
  onClose,
  onApplied,
}: {
  datasetId: string;
  current: DatasetStats['split'];
  onClose: () => void;
  onApplied: () => void;
}) {
  const client = useClient();
  const ids = useId();
  const [by, setBy] = useState<'ratio' | 'count'>('ratio');
  const [percent, setPercent] = useState('10');
  const [count, setCount] = useState('100');
  const [seed, setSeed] = useState('42');
  const [result, setResult] = useState<{ train: number; val: number } | null>(null);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const pct = Number(percent);
  const n = Number(count);
  const s = Number(seed);
  const valid =
    Number.isInteger(s) &&
    s >= 0 &&
    s < 2 ** 31 &&
    (by === 'ratio' ? Number.isFinite(pct) && pct >= 0 && pct <= 90 : Number.isInteger(n) && n >= 0);

  const apply = async () => {
    if (!valid) return;
    setRunning(true);
    setError(null);
    try {
      setResult(
        await client.call('datasets.split', {
          id: datasetId,
          seed: s,
          ...(by === 'ratio' ? { valRatio: pct / 100 } : { valCount: n }),
        }),
      );
      onApplied();
    } catch (caught) {
      const apiError = toApiError(caught);
      const changed = changedBeforeCancel(apiError);
      if (changed === null) setError(apiError);
      else {
        // The slices written before the cancel stay: say so, and let the page show them.
        setError({ ...apiError, message: `Split cancelled after changing ${formatCount(changed)} rows.` });
        onApplied();
      }
    } finally {
      setRunning(false);
    }
  };

  return (
    <Dialog
      title="Split into train and validation"
      onClose={onClose}
      size="small"
      testId="split-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose} data-testid="split-close">
            {result === null ? 'Cancel' : 'Done'}
          </Button>
          <Button variant="primary" onClick={apply} disabled={!valid || running} data-testid="split-apply">
            {running ? 'Splitting…' : result === null ? 'Split' : 'Split again'}
          </Button>
        </>
      }
    >
      <p className={styles.muted}>
        Now: {formatCount(current.train)} train · {formatCount(current.val)} val ·{' '}
        {formatCount(current.unsplit)} unsplit
      </p>
      <fieldset className={styles.radios}>
        <legend className={styles.fieldLabel}>Validation set</legend>
        <label className={styles.inline}>
          <input
            type="radio"
            name={`${ids}-by`}
            checked={by === 'ratio'}
            onChange={() => setBy('ratio')}
            data-testid="split-by-ratio"
          />
          <input
            className={`${styles.input} ${styles.numInput}`}
            inputMode="decimal"
            aria-label="Validation percentage"
            value={percent}
            onFocus={() => setBy('ratio')}
            onChange={(event) => setPercent(event.target.value)}
            data-testid="split-percent"
          />
          % of rows
        </label>
        <label className={styles.inline}>
          <input
            type="radio"
            name={`${ids}-by`}
            checked={by === 'count'}
            onChange={() => setBy('count')}
            data-testid="split-by-count"
          />
          <input
            className={`${styles.input} ${styles.numInput}`}
            inputMode="numeric"
            aria-label="Validation row count"
            value={count}
            onFocus={() => setBy('count')}
            onChange={(event) => setCount(event.target.value)}
            data-testid="split-count"
          />
          rows
        </label>
      </fieldset>
      <label className={styles.inline}>
        <span className={styles.fieldLabel}>Seed</span>
        <input
          className={`${styles.input} ${styles.numInput}`}
          inputMode="numeric"
          value={seed}
          onChange={(event) => setSeed(event.target.value)}
          data-testid="split-seed"
        />
        <span className={styles.help}>the same seed gives the same split</span>
      </label>
      <TaskProgressRow kind="datasets.split" active={running} label="Splitting rows" testId="split" />
      {error !== null && (
        <p className={styles.error} role="alert" data-testid="split-error">
          {error.message}
        </p>
      )}
      {result !== null && (
        <p className={`${styles.resultBox} ${styles.oneLine}`} role="status" data-testid="split-result">
          <strong data-testid="split-train">{formatCount(result.train)}</strong> train ·{' '}
          <strong data-testid="split-val">{formatCount(result.val)}</strong> val
        </p>
      )}
    </Dialog>
  );
}
