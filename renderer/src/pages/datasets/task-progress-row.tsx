import type { ApiError } from '../../../../preload/contract';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { fractionOf, ProgressBar } from '../../components/progress-bar';
import styles from './datasets.module.css';
import { useKindProgress } from './use-kind-progress';

/**
 * The progress bar and Cancel button of a request that runs as a task of `kind` (bulk delete, tag,
 * split) while `active`; Cancel appears once the task's id is known from its first progress event.
 */
export function TaskProgressRow({
  kind,
  active,
  label,
  testId,
}: {
  kind: string;
  active: boolean;
  label: string;
  testId: string;
}) {
  const client = useClient();
  const progress = useKindProgress(kind, active);
  if (!active) return null;
  return (
    <div className={styles.inline}>
      <div className={styles.grow}>
        <ProgressBar
          value={fractionOf(progress?.done ?? 0, progress?.total ?? null)}
          label={label}
          testId={`${testId}-progress`}
        />
      </div>
      {progress !== null && (
        <Button
          variant="ghost"
          onClick={() => void client.call('tasks.cancel', { taskId: progress.taskId })}
          data-testid={`${testId}-cancel`}
        >
          Cancel
        </Button>
      )}
    </div>
  );
}

/** How many rows a cancelled bulk edit had changed (its CONFLICT's details), or null for other errors. */
export function changedBeforeCancel(error: ApiError): number | null {
  const changed = (error.details as { changed?: unknown } | undefined)?.changed;
  return error.code === 'CONFLICT' && typeof changed === 'number' ? changed : null;
}
