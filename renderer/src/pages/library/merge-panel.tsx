import { GitMerge, X } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { ProgressBar } from '../../components/progress-bar';
import styles from './library.module.css';

type Dtype = 'bf16' | 'fp16' | 'fp32';

/** Merge an adapter into its base model: a task with its progress line and a Cancel. */
export function MergePanel({ artifactId }: { artifactId: string }) {
  const client = useClient();
  const navigate = useNavigate();
  const [dtype, setDtype] = useState<Dtype>('bf16');
  const [taskId, setTaskId] = useState<string | null>(null);
  const [line, setLine] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string; id: string | null } | null>(null);

  useEffect(() => {
    if (taskId === null) return;
    const offProgress = client.on('progress', (p) => {
      if (p.taskId === taskId) setLine(p.message);
    });
    const offTask = client.on('task', (t) => {
      if (t.taskId !== taskId) return;
      setTaskId(null);
      setOutcome(
        t.state === 'completed'
          ? { ok: true, text: 'Merged: a full model is in the library.', id: t.resultId }
          : {
              ok: false,
              text:
                t.state === 'cancelled'
                  ? 'The merge was cancelled.'
                  : (t.error?.message ?? 'The merge failed.'),
              id: null,
            },
      );
    });
    return () => {
      offProgress();
      offTask();
    };
  }, [client, taskId]);

  const start = async () => {
    setOutcome(null);
    setLine(null);
    try {
      setTaskId((await client.call('models.merge', { id: artifactId, dtype })).taskId);
    } catch (caught) {
      setOutcome({ ok: false, text: toApiError(caught).message, id: null });
    }
  };

  return (
    <div className={styles.merge} data-testid="artifact-merge">
      {taskId === null ? (
        <div className={styles.actions}>
          <select
            aria-label="Merged weights dtype"
            value={dtype}
            onChange={(e) => setDtype(e.target.value as Dtype)}
            className={styles.dtype}
          >
            <option value="bf16">bf16</option>
            <option value="fp16">fp16</option>
            <option value="fp32">fp32</option>
          </select>
          <Button onClick={() => void start()} data-testid="artifact-merge-start">
            <GitMerge size={13} aria-hidden="true" /> Merge into the base model
          </Button>
        </div>
      ) : (
        <div>
          <ProgressBar value={null} label="Merge progress" testId="artifact-merge-progress" />
          <div className={styles.actions}>
            <span className={styles.sub}>{line ?? 'starting…'}</span>
            <Button
              variant="ghost"
              onClick={() => void client.call('tasks.cancel', { taskId })}
              data-testid="artifact-merge-cancel"
            >
              <X size={13} aria-hidden="true" /> Cancel
            </Button>
          </div>
        </div>
      )}
      {outcome !== null && (
        <p
          className={outcome.ok ? styles.ok : styles.error}
          role="status"
          data-testid="artifact-merge-outcome"
        >
          {outcome.text}{' '}
          {outcome.id !== null && (
            <Button variant="ghost" onClick={() => navigate(`/models/${outcome.id}`)}>
              Open it
            </Button>
          )}
        </p>
      )}
    </div>
  );
}
