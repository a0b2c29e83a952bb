import { type FormEvent, useEffect, useId, useState } from 'react';
import type { ApiError, DatasetDetail, TokenStats } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { HistogramBars } from '../../components/histogram-bars';
import { fractionOf, ProgressBar } from '../../components/progress-bar';
import { formatCount, formatDateTime, formatDecimal } from '../../format/format';
import styles from './dataset-page.module.css';
import { useKindProgress } from './use-kind-progress';

/** Token lengths with a local model's tokenizer and chat template, against a max sequence length. */
export function TokenStatsPanel({ dataset }: { dataset: DatasetDetail }) {
  const client = useClient();
  const ids = useId();
  const last = dataset.stats.tokens;
  const [modelDir, setModelDir] = useState(last?.modelDir ?? '');
  const [maxSeqLen, setMaxSeqLen] = useState(String(last?.maxSeqLen ?? 2048));
  const [result, setResult] = useState<TokenStats | null>(last);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    if (last !== null)
      setResult((current) => (current === null || current.computedAt < last.computedAt ? last : current));
  }, [last]);

  const progress = useKindProgress('datasets.tokenStats', running);

  const seq = Number(maxSeqLen);
  const seqOk = Number.isInteger(seq) && seq >= 16 && seq <= 1_048_576;

  const count = async (event: FormEvent) => {
    event.preventDefault();
    if (running || modelDir.trim() === '' || !seqOk) return;
    setRunning(true);
    setError(null);
    try {
      setResult(
        await client.call('datasets.tokenStats', {
          id: dataset.id,
          modelDir: modelDir.trim(),
          maxSeqLen: seq,
        }),
      );
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setRunning(false);
    }
  };

  return (
    <section className={`${styles.card} ${styles.wide}`} aria-label="Tokens" data-testid="token-stats">
      <h3 className={styles.cardTitle}>Tokens</h3>
      <form className={styles.tokenForm} onSubmit={count}>
        <label htmlFor={`${ids}-model`} className={styles.faint}>
          Model folder
        </label>
        <input
          id={`${ids}-model`}
          className={`${styles.input} ${styles.mono} ${styles.grow}`}
          type="text"
          spellCheck={false}
          placeholder="/models/Llama-3.2-1B-Instruct (tokenizer.json + chat template)"
          value={modelDir}
          onChange={(event) => setModelDir(event.target.value)}
          data-testid="token-model-dir"
        />
        <label htmlFor={`${ids}-seq`} className={styles.faint}>
          Max sequence length
        </label>
        <input
          id={`${ids}-seq`}
          className={`${styles.input} ${styles.numInput}`}
          inputMode="numeric"
          value={maxSeqLen}
          aria-invalid={!seqOk}
          onChange={(event) => setMaxSeqLen(event.target.value)}
          data-testid="token-max-seq"
        />
        <Button
          type="submit"
          disabled={running || modelDir.trim() === '' || !seqOk}
          data-testid="token-count"
        >
          {running ? 'Counting…' : 'Count tokens'}
        </Button>
      </form>
      {running && (
        <ProgressBar
          value={fractionOf(progress?.done ?? 0, progress?.total ?? null)}
          label="Token counting progress"
        />
      )}
      {error !== null && (
        <p className={styles.errorText} role="alert" data-testid="token-error">
          {error.message}
        </p>
      )}
      {result !== null && (
        <div className={styles.tokenResult} data-testid="token-result">
          <dl className={styles.figures}>
            <div>
              <dt>mean</dt>
              <dd data-testid="token-mean">{formatDecimal(result.mean)}</dd>
            </div>
            <div>
              <dt>p50</dt>
              <dd>{formatCount(result.p50)}</dd>
            </div>
            <div>
              <dt>p95</dt>
              <dd>{formatCount(result.p95)}</dd>
            </div>
            <div>
              <dt>max</dt>
              <dd>{formatCount(result.max)}</dd>
            </div>
            <div>
              <dt title="Training cuts these rows to the sequence length, or leaves them out (job setting: Longer rows)">
                longer than {formatCount(result.maxSeqLen)}
              </dt>
              <dd className={result.truncated > 0 ? styles.bad : undefined} data-testid="token-truncated">
                {formatCount(result.truncated)}
              </dd>
            </div>
            <div>
              <dt>total</dt>
              <dd>{formatCount(result.total)}</dd>
            </div>
          </dl>
          <HistogramBars
            edges={result.histogram.edges}
            counts={result.histogram.counts}
            unit="tokens"
            label="Row length in tokens"
            markAt={result.maxSeqLen}
            testId="token-histogram"
          />
          <p className={styles.faint}>
            {formatCount(result.rowsCounted)} rows, {result.usedChatTemplate ? 'with' : 'without'} the chat
            template, against {formatCount(result.maxSeqLen)} tokens
            {result.truncated > 0 &&
              ` · ${formatCount(result.truncated)} longer rows are truncated in training, or dropped if the job says so (Longer rows)`}{' '}
            · <code>{result.modelDir}</code> · {formatDateTime(result.computedAt)}
          </p>
        </div>
      )}
    </section>
  );
}
