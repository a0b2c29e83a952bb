import { useState } from 'react';
import type { ApiError, RowFilter } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { formatCount } from '../../format/format';
import styles from './datasets.module.css';
import { changedBeforeCancel, TaskProgressRow } from './task-progress-row';

/** A bulk action on every row matching the current filter. */
export type BulkAction = 'delete' | 'restore' | 'tag';

/** The task kind each action runs as (its progress events and cancel). */
const KINDS: Readonly<Record<BulkAction, string>> = {
  delete: 'datasets.setDeleted',
  restore: 'datasets.setDeleted',
  tag: 'datasets.tag',
};

const TITLES: Readonly<Record<BulkAction, string>> = {
  delete: 'Delete matching rows',
  restore: 'Restore matching rows',
  tag: 'Tag matching rows',
};

/** Confirms a bulk action with the number of rows it touches, then runs it on the filter. */
export function BulkDialog({
  datasetId,
  action,
  filter,
  count,
  onClose,
  onDone,
}: {
  datasetId: string;
  action: BulkAction;
  filter: RowFilter;
  count: number;
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const client = useClient();
  const [tag, setTag] = useState('');
  const [tagMode, setTagMode] = useState<'add' | 'remove'>('add');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const rows = `${formatCount(count)} row${count === 1 ? '' : 's'}`;

  const run = async () => {
    setRunning(true);
    setError(null);
    const selection = { datasetId, filter };
    try {
      if (action === 'tag') {
        const { updated } = await client.call('datasets.tag', {
          selection,
          ...(tagMode === 'add' ? { add: [tag.trim()] } : { remove: [tag.trim()] }),
        });
        onDone(`${tagMode === 'add' ? 'Tagged' : 'Untagged'} ${formatCount(updated)} rows "${tag.trim()}".`);
      } else {
        const { updated } = await client.call('datasets.setDeleted', {
          selection,
          deleted: action === 'delete',
        });
        onDone(`${action === 'delete' ? 'Deleted' : 'Restored'} ${formatCount(updated)} rows.`);
      }
    } catch (caught) {
      const apiError = toApiError(caught);
      const changed = changedBeforeCancel(apiError);
      // A cancelled edit keeps the slices it wrote: say how far it got, and let the page refresh.
      if (changed !== null) onDone(`Cancelled after changing ${formatCount(changed)} rows.`);
      else setError(apiError);
      setRunning(false);
    }
  };

  return (
    <Dialog
      title={TITLES[action]}
      onClose={onClose}
      size="small"
      testId="bulk-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button
            variant="primary"
            onClick={run}
            disabled={running || count === 0 || (action === 'tag' && tag.trim() === '')}
            data-testid="bulk-confirm"
          >
            {action === 'delete'
              ? `Delete ${rows}`
              : action === 'restore'
                ? `Restore ${rows}`
                : `Tag ${rows}`}
          </Button>
        </>
      }
    >
      <p data-testid="bulk-count">
        {action === 'delete' &&
          `This deletes the ${rows} that match the current filter. Deleted rows can be restored.`}
        {action === 'restore' && `This restores the ${rows} that match the current filter.`}
        {action === 'tag' && `This changes a tag on the ${rows} that match the current filter.`}
      </p>
      {action === 'tag' && (
        <div className={styles.inline}>
          <select
            className={styles.input}
            value={tagMode}
            onChange={(event) => setTagMode(event.target.value as 'add' | 'remove')}
            aria-label="Add or remove"
            data-testid="bulk-tag-mode"
          >
            <option value="add">Add tag</option>
            <option value="remove">Remove tag</option>
          </select>
          <input
            className={`${styles.input} ${styles.grow}`}
            type="text"
            maxLength={100}
            aria-label="Tag"
            placeholder="tag"
            value={tag}
            onChange={(event) => setTag(event.target.value)}
            data-testid="bulk-tag"
          />
        </div>
      )}
      <TaskProgressRow kind={KINDS[action]} active={running} label={TITLES[action]} testId="bulk" />
      {error !== null && (
        <p className={styles.error} role="alert">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}
