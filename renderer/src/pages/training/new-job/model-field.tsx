import { Check, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ApiError, ModelInfo } from '../../../../../preload/contract';
import { toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { formatCompactCount, formatCount } from '../../../format/format';
import type { DebouncedCall } from '../use-debounced-call';
import styles from './new-job.module.css';

/** What `models.inspect` found in the chosen folder: architecture, size, dtype, context, tokenizer. */
export function ModelInfoView({ inspect }: { inspect: DebouncedCall<ModelInfo> }) {
  if (inspect.pending && inspect.value === null && inspect.error === null) {
    return <p className={styles.help}>Reading the model folder…</p>;
  }
  if (inspect.error !== null) {
    return (
      <span className={styles.fieldError} data-testid="model-inspect-error">
        {inspect.error.message}
      </span>
    );
  }
  const info = inspect.value;
  if (info === null) return null;
  const yesNo = (value: boolean, testId: string) => (
    <dd data-testid={testId} className={value ? styles.yes : styles.no}>
      {value ? <Check size={12} aria-hidden="true" /> : <X size={12} aria-hidden="true" />}{' '}
      {value ? 'yes' : 'missing'}
    </dd>
  );
  return (
    <dl className={styles.modelInfo} data-testid="model-info" aria-busy={inspect.pending}>
      <div>
        <dt>Architecture</dt>
        <dd data-testid="model-architecture">{info.architecture ?? info.modelType ?? '–'}</dd>
      </div>
      <div>
        <dt>Parameters</dt>
        <dd data-testid="model-params">{formatCompactCount(info.parameterCount)}</dd>
      </div>
      <div>
        <dt>Weights dtype</dt>
        <dd data-testid="model-dtype">{info.dtype ?? '–'}</dd>
      </div>
      <div>
        <dt>Max context</dt>
        <dd data-testid="model-context">
          {info.maxContext === null ? '–' : `${formatCount(info.maxContext)} tokens`}
        </dd>
      </div>
      <div>
        <dt>Tokenizer</dt>
        {yesNo(info.hasTokenizer, 'model-tokenizer')}
      </div>
      <div>
        <dt>Chat template</dt>
        {yesNo(info.hasChatTemplate, 'model-chat-template')}
      </div>
    </dl>
  );
}

/** Base models found in the Hugging Face cache (`models.scan`), to pick one with a click. */
export function ScannedModels({ selected, onPick }: { selected: string; onPick: (path: string) => void }) {
  const client = useClient();
  const [models, setModels] = useState<ReadonlyArray<ModelInfo> | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    let live = true;
    client.call('models.scan', {}).then(
      (found) => live && setModels(found),
      (caught: unknown) => live && setError(toApiError(caught)),
    );
    return () => {
      live = false;
    };
  }, [client]);

  if (error !== null)
    return <p className={styles.help}>The Hugging Face cache could not be scanned: {error.message}</p>;
  if (models === null) return <p className={styles.help}>Looking in the Hugging Face cache…</p>;
  if (models.length === 0)
    return (
      <p className={styles.help} data-testid="model-scan-empty">
        No models in the Hugging Face cache (<code>HF_HOME</code>); enter a folder path above, or{' '}
        <Link to="/setup" data-testid="model-download-link">
          download a starting model
        </Link>
        .
      </p>
    );
  return (
    <div>
      <p className={styles.help}>In the Hugging Face cache:</p>
      <ul className={styles.scanList} data-testid="model-scan">
        {models.map((model) => (
          <li key={model.path}>
            <button
              type="button"
              className={styles.scanItem}
              aria-pressed={model.path === selected}
              onClick={() => onPick(model.path)}
              data-testid="model-scan-item"
            >
              <span>{model.name}</span>
              <span className={styles.muted}>
                {formatCompactCount(model.parameterCount)} · {model.dtype ?? '–'}
              </span>
              <span className={styles.scanPath} title={model.path}>
                {model.path}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
