import type { DatasetDetail } from '../../../../preload/contract';
import { formatCount } from '../../format/format';
import styles from './dataset-page.module.css';

/** The header's counts: rows, valid, invalid, deleted, train, val, versions. */
export function DatasetCounts({ dataset }: { dataset: DatasetDetail }) {
  const { stats } = dataset;
  return (
    <dl className={styles.counts} data-testid="dataset-counts">
      <Count label="rows" value={stats.rows} testId="count-rows" />
      <Count label="valid" value={stats.valid} testId="count-valid" tone="good" />
      <Count
        label="invalid"
        value={stats.invalid}
        testId="count-invalid"
        tone={stats.invalid > 0 ? 'bad' : undefined}
      />
      <Count label="deleted" value={stats.deleted} testId="count-deleted" />
      <Count label="train" value={stats.split.train} testId="count-train" />
      <Count label="val" value={stats.split.val} testId="count-val" />
      <Count label="versions" value={dataset.versionList.length} testId="count-versions" />
    </dl>
  );
}

function Count({
  label,
  value,
  testId,
  tone,
}: {
  label: string;
  value: number;
  testId: string;
  tone?: 'good' | 'bad';
}) {
  return (
    <div className={styles.countItem}>
      <dt className={styles.countLabel}>{label}</dt>
      <dd
        className={tone === undefined ? styles.countValue : `${styles.countValue} ${styles[tone]}`}
        data-testid={testId}
        data-value={value}
      >
        {formatCount(value)}
      </dd>
    </div>
  );
}
