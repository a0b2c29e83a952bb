import { Copy, Play, RotateCw, Square } from 'lucide-react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { JobDetail, JobStatus } from '../../../../../preload/contract';
import { toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { Button } from '../../../components/button';
import { ConfirmDialog } from '../confirm-dialog';
import styles from './job-page.module.css';

const CANCELLABLE: ReadonlySet<JobStatus> = new Set(['queued', 'starting', 'running']);
const RESUMABLE: ReadonlySet<JobStatus> = new Set(['interrupted', 'failed', 'cancelled']);
const RETRYABLE: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/** Cancel (with a confirmation), Resume from the last checkpoint, Retry from the start, Clone into the form. */
export function JobActions({ job }: { job: Readonly<JobDetail> }) {
  const client = useClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState<'cancel' | 'resume' | 'retry' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const act = async (action: 'cancel' | 'resume' | 'retry') => {
    setBusy(action);
    setError(null);
    try {
      const result = await client.call(`jobs.${action}`, { id: job.id });
      if (result.id !== job.id) navigate(`/training/jobs/${result.id}`);
    } catch (caught) {
      setError(toApiError(caught).message);
    } finally {
      setBusy(null);
    }
  };

  const canResume = RESUMABLE.has(job.status) && job.checkpoints.length > 0;
  const lastCheckpoint = job.checkpoints.at(-1);
  return (
    <>
      {error !== null && (
        <span className={styles.error} role="alert" data-testid="job-action-error">
          {error}
        </span>
      )}
      {CANCELLABLE.has(job.status) && (
        <Button onClick={() => setConfirming(true)} disabled={busy !== null} data-testid="job-cancel">
          <Square size={13} aria-hidden="true" />
          {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
        </Button>
      )}
      {RESUMABLE.has(job.status) && (
        <Button
          onClick={() => void act('resume')}
          disabled={!canResume || busy !== null}
          title={
            lastCheckpoint === undefined
              ? 'No checkpoint was saved, so there is nothing to resume from: retry instead'
              : `Continue from step ${lastCheckpoint.step} in the same run folder`
          }
          data-testid="job-resume"
        >
          <Play size={13} aria-hidden="true" />
          {busy === 'resume' ? 'Resuming…' : 'Resume'}
        </Button>
      )}
      {RETRYABLE.has(job.status) && (
        <Button
          onClick={() => void act('retry')}
          disabled={busy !== null}
          title="A new job with the same request, from the start"
          data-testid="job-retry"
        >
          <RotateCw size={13} aria-hidden="true" />
          {busy === 'retry' ? 'Retrying…' : 'Retry'}
        </Button>
      )}
      <Button
        onClick={() => navigate(`/training/new?clone=${encodeURIComponent(job.id)}`)}
        title="Open the new-job form with this job's settings"
        data-testid="job-clone"
      >
        <Copy size={13} aria-hidden="true" />
        Clone
      </Button>
      <ConfirmDialog
        open={confirming}
        title={`Cancel “${job.name}”?`}
        confirmLabel="Cancel job"
        onConfirm={() => void act('cancel')}
        onClose={() => setConfirming(false)}
        testId="job-cancel-dialog"
      >
        {job.status === 'queued' ? (
          <p>It has not started; it leaves the queue.</p>
        ) : (
          <p>
            The trainer saves a checkpoint at the next step and stops. You can resume it later from that
            checkpoint.
          </p>
        )}
      </ConfirmDialog>
    </>
  );
}
