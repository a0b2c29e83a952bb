import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { PageHeader } from '../../../components/page-header';
import { draftFromJob, emptyDraft, type JobDraft } from './job-draft';
import styles from './new-job.module.css';
import { NewJobForm } from './new-job-form';

/** New job (`/training/new`; `?clone=ID` starts from an existing job's request, `?model=DIR` from a model). */
export function NewJobPage() {
  const client = useClient();
  const [params] = useSearchParams();
  const cloneId = params.get('clone');
  const modelPath = params.get('model') ?? '';
  const [initial, setInitial] = useState<JobDraft | null>(() =>
    cloneId === null ? { ...emptyDraft(), modelPath } : null,
  );
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (cloneId === null) return;
    let live = true;
    client.call('jobs.get', { id: cloneId }).then(
      (job) => live && setInitial(draftFromJob(job)),
      (caught: unknown) => live && setError(toApiError(caught).message),
    );
    return () => {
      live = false;
    };
  }, [client, cloneId]);

  return (
    <div data-testid="page-new-job">
      <PageHeader
        title={cloneId === null ? 'New training job' : 'New job from a copy'}
        description={
          <>
            <Link to="/training">Training</Link> · runs are queued and start when their GPUs are free.
          </>
        }
      />
      {error !== null && (
        <p className={styles.formError} role="alert">
          The job to copy could not be loaded: {error}
        </p>
      )}
      {initial !== null && (
        <NewJobForm
          key={cloneId ?? 'new'}
          initial={initial}
          presetChosenBy={cloneId === null ? 'auto' : 'person'}
        />
      )}
    </div>
  );
}
