import { Pencil } from 'lucide-react';
import { useState } from 'react';
import type { ApiError } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import styles from './dataset-page.module.css';

/** The dataset's name as the page's heading; click the pencil (or the name) to rename it. */
export function DatasetTitle({ id, name, onRenamed }: { id: string; name: string; onRenamed: () => void }) {
  const client = useClient();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(name);
  const [error, setError] = useState<ApiError | null>(null);

  const save = async () => {
    const next = draft.trim();
    if (next === '' || next === name) {
      setEditing(false);
      return;
    }
    try {
      await client.call('datasets.rename', { id, name: next });
      setEditing(false);
      setError(null);
      onRenamed();
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  if (editing) {
    return (
      <div className={styles.titleEdit}>
        <input
          className={styles.titleInput}
          aria-label="Dataset name"
          value={draft}
          maxLength={200}
          // biome-ignore lint/a11y/noAutofocus: the user just asked to rename
          autoFocus
          onChange={(event) => setDraft(event.target.value)}
          onBlur={() => void save()}
          onKeyDown={(event) => {
            if (event.key === 'Enter') void save();
            if (event.key === 'Escape') {
              event.stopPropagation();
              setDraft(name);
              setEditing(false);
            }
          }}
          data-testid="dataset-name-input"
        />
        {error !== null && (
          <span className={styles.errorText} role="alert">
            {error.message}
          </span>
        )}
      </div>
    );
  }
  return (
    <div className={styles.titleRow}>
      <h1 className={styles.title} data-testid="page-title" tabIndex={-1}>
        <span data-testid="dataset-name">{name}</span>
      </h1>
      <button
        type="button"
        className={styles.iconButton}
        onClick={() => {
          setDraft(name);
          setEditing(true);
        }}
        aria-label="Rename dataset"
        data-testid="dataset-rename"
      >
        <Pencil size={13} aria-hidden="true" />
      </button>
    </div>
  );
}
