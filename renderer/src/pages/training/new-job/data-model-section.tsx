import { useId } from 'react';
import { DatasetVersionPicker } from './dataset-version-picker';
import { FieldError, invalidProps } from './field-error';
import { ModelInfoView, ScannedModels } from './model-field';
import styles from './new-job.module.css';
import type { NewJobState } from './use-new-job';

/** The form's first card: the job's name, the frozen dataset version it trains on, and the base model. */
export function DataModelSection({ job }: { job: NewJobState }) {
  const ids = { name: useId(), dataset: useId(), model: useId(), versions: useId() };
  const { draft, edit, errors } = job;
  return (
    <section className={styles.card} aria-labelledby="job-run-heading">
      <div className={styles.cardHead}>
        <h2 id="job-run-heading" className={styles.cardTitle}>
          Data and model
        </h2>
      </div>
      <div className={styles.rows}>
        <div className={styles.row}>
          <label htmlFor={ids.name} className={styles.label}>
            Name
          </label>
          <div className={styles.control}>
            <input
              id={ids.name}
              className={styles.input}
              value={draft.name}
              placeholder="Named after the model and dataset when empty"
              onChange={(event) => edit({ name: event.target.value }, ['name'])}
              data-testid="job-name"
              {...invalidProps(errors, 'name')}
            />
            <FieldError errors={errors} field="name" />
          </div>
        </div>
        <div className={styles.row}>
          <label htmlFor={ids.dataset} className={styles.label}>
            Dataset version
          </label>
          <div className={styles.control}>
            <DatasetVersionPicker
              options={job.versionOptions}
              selected={draft.datasetVersionId.trim()}
              onPick={(id) => edit({ datasetVersionId: id }, ['datasetVersionId'])}
            />
            <input
              id={ids.dataset}
              className={`${styles.input} ${styles.mono}`}
              value={draft.datasetVersionId}
              list={ids.versions}
              spellCheck={false}
              autoComplete="off"
              placeholder="or paste a dataset or version id"
              onChange={(event) => edit({ datasetVersionId: event.target.value }, ['datasetVersionId'])}
              data-testid="job-dataset-version"
              {...invalidProps(errors, 'datasetVersionId')}
            />
            <datalist id={ids.versions}>
              {job.versionOptions.map((v) => (
                <option key={v.id} value={v.id} label={v.label} />
              ))}
            </datalist>
            {errors.datasetVersionId === undefined ? (
              <span className={styles.help}>
                Pick a dataset above: a dataset never frozen is frozen as version 1 when the job is queued.
                Scripts can paste an id from <code>lora-studio datasets show ID</code>.
              </span>
            ) : (
              <FieldError errors={errors} field="datasetVersionId" />
            )}
          </div>
        </div>
        <div className={styles.row}>
          <label htmlFor={ids.model} className={styles.label}>
            Base model folder
          </label>
          <div className={styles.control}>
            <input
              id={ids.model}
              className={`${styles.input} ${styles.mono}`}
              value={draft.modelPath}
              spellCheck={false}
              autoComplete="off"
              placeholder="/path/to/model (config.json + tokenizer)"
              onChange={(event) => edit({ modelPath: event.target.value }, ['modelPath'])}
              data-testid="job-model-path"
              {...invalidProps(errors, 'modelPath')}
            />
            <FieldError errors={errors} field="modelPath" />
            <ModelInfoView inspect={job.inspect} />
            <ScannedModels
              selected={draft.modelPath.trim()}
              onPick={(path) => edit({ modelPath: path }, ['modelPath'])}
            />
          </div>
        </div>
      </div>
    </section>
  );
}
