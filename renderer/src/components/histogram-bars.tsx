import { formatCount, formatDecimal } from '../format/format';
import styles from './histogram-bars.module.css';

/** A histogram as plain CSS bars: `edges` has one more entry than `counts`. */
export function HistogramBars({
  edges,
  counts,
  unit,
  label,
  testId,
  markAt,
}: {
  edges: ReadonlyArray<number>;
  counts: ReadonlyArray<number>;
  /** Unit of the edges ("chars", "tokens"). */
  unit: string;
  label: string;
  testId?: string;
  /** An edge value to mark with a line (e.g. the max sequence length); bins above it are tinted. */
  markAt?: number;
}) {
  const max = Math.max(1, ...counts);
  if (counts.length === 0) {
    return <p className={styles.empty}>No data.</p>;
  }
  return (
    <figure className={styles.figure} aria-label={label} data-testid={testId}>
      <div className={styles.bars}>
        {markAt !== undefined && markFraction(edges, markAt) !== null && (
          <div
            className={styles.mark}
            style={{ left: `${(markFraction(edges, markAt) ?? 0) * 100}%` }}
            title={`${formatDecimal(markAt)} ${unit}`}
          />
        )}
        {counts.map((count, i) => {
          const from = edges[i] ?? 0;
          const to = edges[i + 1] ?? from;
          const over = markAt !== undefined && from >= markAt;
          return (
            <div
              // biome-ignore lint/suspicious/noArrayIndexKey: bins are positional
              key={i}
              className={styles.bin}
              title={`${formatDecimal(from)}–${formatDecimal(to)} ${unit}: ${formatCount(count)} rows`}
            >
              <div
                className={over ? `${styles.bar} ${styles.over}` : styles.bar}
                style={{ height: `${count === 0 ? 0 : Math.max(2, (count / max) * 100)}%` }}
              />
            </div>
          );
        })}
      </div>
      <figcaption className={styles.axis}>
        <span>{formatDecimal(edges[0] ?? 0)}</span>
        <span>{unit}</span>
        <span>{formatDecimal(edges[edges.length - 1] ?? 0)}</span>
      </figcaption>
    </figure>
  );
}

/** Where `value` falls along the edges, 0…1, or null outside them. */
function markFraction(edges: ReadonlyArray<number>, value: number): number | null {
  const first = edges[0];
  const last = edges[edges.length - 1];
  if (first === undefined || last === undefined || last <= first || value < first || value > last)
    return null;
  return (value - first) / (last - first);
}
