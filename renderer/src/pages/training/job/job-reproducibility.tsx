import type { JobDetail } from '../../../../../preload/contract';
import styles from './job-page.module.css';

/** A record value as text: strings as they are, everything else as compact JSON. */
function show(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '–';
  return JSON.stringify(value);
}

/** What it takes to rerun the job exactly: dataset and model hashes, library versions, seed, app version. */
export function JobReproducibility({ job }: { job: Readonly<JobDetail> }) {
  const entries = Object.entries(job.reproducibility);
  return (
    <section className={styles.card} aria-labelledby="job-repro-heading" data-testid="job-reproducibility">
      <div className={styles.cardHead}>
        <h2 id="job-repro-heading" className={styles.cardTitle}>
          Reproducibility
        </h2>
      </div>
      {entries.length === 0 ? (
        <p className={styles.help}>Recorded when the job starts.</p>
      ) : (
        <table className={styles.table}>
          <tbody>
            {entries.map(([key, value]) => (
              <tr key={key}>
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
