import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { ApiError, ModelInfo } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { formatCompactCount, formatCount } from '../../format/format';
import styles from './library.module.css';

/** Base models in the Hugging Face cache (`models.scan`), each with a link that starts a job on it. */
export function BaseModels() {
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

  return (
    <section className={styles.section} aria-labelledby="base-models-heading" data-testid="base-models">
      <h2 id="base-models-heading" className={styles.title}>
        Base models in the Hugging Face cache
      </h2>
      {error !== null && <p className={styles.help}>The cache could not be scanned: {error.message}</p>}
      {error === null && models === null && <p className={styles.help}>Scanning…</p>}
      {models !== null && models.length === 0 && (
        <p className={styles.help}>
          None found under <code>HF_HOME</code>. A job can also use any local folder with{' '}
          <code>config.json</code> and a tokenizer.
        </p>
      )}
      {models !== null && models.length > 0 && (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col">Architecture</th>
              <th scope="col" className={styles.num}>
                Parameters
              </th>
              <th scope="col">dtype</th>
              <th scope="col" className={styles.num}>
                Context
              </th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {models.map((model) => (
              <tr key={model.path} data-testid="base-model-row">
                <td title={model.path}>{model.name}</td>
                <td>{model.architecture ?? model.modelType ?? '–'}</td>
                <td className={styles.num}>{formatCompactCount(model.parameterCount)}</td>
                <td>{model.dtype ?? '–'}</td>
                <td className={styles.num}>{formatCount(model.maxContext)}</td>
                <td>
                  <Link to={`/training/new?model=${encodeURIComponent(model.path)}`}>Train</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
