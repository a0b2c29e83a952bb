import { formatCount, formatDateTime, formatRelative } from '../../../format/format';
import styles from './new-job.module.css';
import type { FrozenVersionOption } from './use-frozen-versions';

/** The datasets and versions a job can train on, as a list to pick from (no id to type). */
export function DatasetVersionPicker({
  options,
  selected,
  onPick,
}: {
  options: ReadonlyArray<FrozenVersionOption>;
  selected: string;
  onPick: (id: string) => void;
}) {
  const listed = options.filter((o) => o.datasetName !== undefined);
  if (listed.length === 0) {
    return (
      <p className={styles.help} data-testid="job-dataset-none">
        No dataset yet: import one on the Datasets page (or the sample dataset there).
      </p>
    );
  }
  return (
    <div className={styles.versionPicker} role="radiogroup" aria-label="Dataset version">
      {listed.map((o) => (
        <label
          key={o.id}
          className={styles.versionOption}
          data-testid="job-dataset-option"
          data-id={o.id}
          title={o.at === undefined ? undefined : formatDateTime(o.at)}
        >
          <input
            type="radio"
            name="job-dataset-version-pick"
            checked={selected === o.id}
            onChange={() => onPick(o.id)}
          />
          <span className={styles.versionName}>{o.datasetName}</span>
          <span>{o.version === null || o.version === undefined ? 'current rows → v1' : `v${o.version}`}</span>
          <span className={styles.versionRows}>{formatCount(o.rows ?? null)} rows</span>
          <span className={styles.versionDate}>{o.at === undefined ? '' : formatRelative(o.at)}</span>
        </label>
      ))}
    </div>
  );
}
