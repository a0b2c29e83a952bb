import type { JobDetail } from '../../../../../preload/contract';
import { formatCount } from '../../../format/format';
import styles from './job-page.module.css';

/** The checkpoints the trainer saved (paths relative to the run folder). */
export function JobCheckpoints({ job }: { job: Readonly<JobDetail> }) {
  return (
    <section className={styles.card} aria-labelledby="job-checkpoints-heading" data-testid="job-checkpoints">
      <div className={styles.cardHead}>
        <h2 id="job-checkpoints-heading" className={styles.cardTitle}>
          Checkpoints
        </h2>
        <span className={styles.help}>
          in <code>{job.runDir}</code>
        </span>
      </div>
      {job.checkpoints.length === 0 ? (
        <p className={styles.help}>
          None yet: the trainer saves one every {formatCount(job.config.save_steps)} steps and when it is
          cancelled.
        </p>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Step</th>
              <th scope="col">Path</th>
            </tr>
          </thead>
          <tbody>
            {job.checkpoints.map((checkpoint) => (
              <tr key={checkpoint.path} data-testid="checkpoint-row">
                <td>{formatCount(checkpoint.step)}</td>
                <td>
                  <code>{checkpoint.path}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
