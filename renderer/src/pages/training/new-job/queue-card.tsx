import { Play } from 'lucide-react';
import { Button } from '../../../components/button';
import { IS_MAC } from '../../../shell/nav-items';
import styles from './new-job.module.css';
import type { NewJobState } from './use-new-job';

/** Cancel and Queue job, with the form-level error and why queuing is blocked. */
export function QueueCard({ job }: { job: NewJobState }) {
  return (
    <div className={`${styles.card} ${styles.submit}`}>
      {job.formError !== null && (
        <p className={styles.formError} role="alert" data-testid="job-create-error">
          {job.formError}
        </p>
      )}
      <div className={styles.submitRow}>
        <Button variant="ghost" onClick={job.cancel}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          disabled={job.creating || job.blocked}
          data-testid="job-queue"
          aria-keyshortcuts={IS_MAC ? 'Meta+Enter' : 'Control+Enter'}
          title={
            job.blocked
              ? 'Fix the failed preflight checks first'
              : `Queue job (${IS_MAC ? '⌘' : 'Ctrl+'}Enter)`
          }
        >
          <Play size={13} aria-hidden="true" />
          {job.creating ? 'Queuing…' : 'Queue job'}
        </Button>
      </div>
      {job.blocked && (
        <span className={styles.help}>
          A failed preflight check blocks queuing; fix it and the checks run again.
        </span>
      )}
    </div>
  );
}
