import type { JobDetail } from '../../../../../preload/contract';
import styles from './job-page.module.css';

/** A record value as text: strings as they are, everything else as compact JSON. */
function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '–';
  return JSON.stringify(value);
}

/** Plain objects (not arrays) are shown one level flattened: `doctor.torch`, `datasetRows.train`. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The record's rows: nested objects one level flattened; the config is left to its own card. */
function rowsOf(record: Readonly<Record<string, unknown>>): ReadonlyArray<readonly [string, unknown]> {
  return Object.entries(record).flatMap(([key, value]): Array<readonly [string, unknown]> => {
    if (key === 'config') return [];
    if (isRecord(value))
      return Object.entries(value).map(([sub, inner]) => [`${key}.${sub}`, inner] as const);
    return [[key, value] as const];
  });
}

/** What it takes to rerun the job exactly: dataset and model hashes, library versions, seed, app version. */
export function JobReproducibility({ job }: { job: Readonly<JobDetail> }) {
  const rows = rowsOf(job.reproducibility);
  return (
    <section className={styles.card} aria-labelledby="job-repro-heading" data-testid="job-reproducibility">
      <div className={styles.cardHead}>
        <h2 id="job-repro-heading" className={styles.cardTitle}>
          Reproducibility
        </h2>
        {'config' in job.reproducibility && (
          <span className={styles.help}>with the config shown beside it</span>
        )}
      </div>
      {rows.length === 0 ? (
        <p className={styles.help}>Recorded when the job is queued.</p>
      ) : (
        <table className={styles.table}>
          <tbody>
            {rows.map(([key, value]) => (
              <tr key={key} data-testid="repro-row" data-key={key}>
                <th scope="row" className={styles.keyCol}>
                  {key}
                </th>
                <td>
                  <code>{show(value)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
