import { CircleAlert, CircleCheck, Pencil, RotateCcw, Trash2, X } from 'lucide-react';
import { type FormEvent, useState } from 'react';
import type { ApiError, DatasetRowView } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { formatCount } from '../../format/format';
import { ChatBubbles } from './chat-bubbles';
import styles from './row-detail.module.css';
import { RowEditor } from './row-editor';
import { rowLocation } from './row-text';
import { TickedText } from './ticked-text';

/**
 * One row in full: its problems (path and message), the conversation as chat bubbles, its tags and
 * split, its original JSON; edit, delete/restore and tag it.
 */
export function RowDetail({
  datasetId,
  row,
  onClose,
  onRowChanged,
  onMutated,
}: {
  datasetId: string;
  row: DatasetRowView;
  onClose: () => void;
  /** The row as the core now has it (after an edit, a delete, a tag). */
  onRowChanged: (row: DatasetRowView) => void;
  /** Rows changed in ways that move them between filters: refetch lists and counts. */
  onMutated: () => void;
}) {
  const client = useClient();
  const [editing, setEditing] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [newTag, setNewTag] = useState('');
  const [editingId, setEditingId] = useState(row.id);

  // Another row was opened: leave edit mode and forget the last row's messages.
  if (editingId !== row.id) {
    setEditingId(row.id);
    setEditing(false);
    setStatus(null);
    setError(null);
  }

  const selection = { datasetId, rowIds: [row.id] };

  const setDeleted = async (deleted: boolean) => {
    setError(null);
    try {
      await client.call('datasets.setDeleted', { selection, deleted });
      onRowChanged({ ...row, deleted });
      setStatus(deleted ? 'Row deleted.' : 'Row restored.');
      onMutated();
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  const tag = async (change: { add?: string[]; remove?: string[] }) => {
    setError(null);
    try {
      await client.call('datasets.tag', { selection, ...change });
      const tags = new Set(row.tags);
      for (const t of change.add ?? []) tags.add(t);
      for (const t of change.remove ?? []) tags.delete(t);
      onRowChanged({ ...row, tags: [...tags] });
      onMutated();
    } catch (caught) {
      setError(toApiError(caught));
    }
  };

  const addTag = (event: FormEvent) => {
    event.preventDefault();
    const value = newTag.trim();
    if (value === '' || row.tags.includes(value)) return;
    setNewTag('');
    void tag({ add: [value] });
  };

  return (
    <section className={styles.detail} aria-label={`Row ${rowLocation(row)}`} data-testid="row-detail">
      <header className={styles.head}>
        <div className={styles.headTitle}>
          {row.valid ? (
            <span className={styles.validBadge} data-testid="row-detail-valid">
              <CircleCheck size={13} aria-hidden="true" /> valid
            </span>
          ) : (
            <span className={styles.invalidBadge} data-testid="row-detail-invalid">
              <CircleAlert size={13} aria-hidden="true" /> invalid
            </span>
          )}
          <h2 className={styles.title} data-testid="row-detail-location">
            {rowLocation(row)}
          </h2>
          <span className={styles.meta}>
            {row.turns} {row.turns === 1 ? 'turn' : 'turns'} · {formatCount(row.charLength)} chars
            {row.tokenCount !== null && ` · ${formatCount(row.tokenCount)} tokens`}
          </span>
          {row.deleted && (
            <span className={styles.deletedBadge} data-testid="row-detail-deleted">
              deleted
            </span>
          )}
        </div>
        <div className={styles.headActions}>
          {!editing && (
            <Button onClick={() => setEditing(true)} data-testid="row-edit" title="Edit this row">
              <Pencil size={13} aria-hidden="true" /> Edit
            </Button>
          )}
          {row.deleted ? (
            <Button onClick={() => setDeleted(false)} data-testid="row-restore">
              <RotateCcw size={13} aria-hidden="true" /> Restore
            </Button>
          ) : (
            <Button onClick={() => setDeleted(true)} data-testid="row-delete">
              <Trash2 size={13} aria-hidden="true" /> Delete
            </Button>
          )}
          <Button
            variant="ghost"
            onClick={onClose}
            aria-label="Close row (Escape)"
            data-testid="row-detail-close"
          >
            <X size={14} aria-hidden="true" />
          </Button>
        </div>
      </header>

      <div className={styles.scroll}>
        {status !== null && (
          <p className={styles.status} role="status" data-testid="row-status">
            {status}
          </p>
        )}
        {error !== null && (
          <p className={styles.error} role="alert">
            {error.message}
          </p>
        )}
        {row.problems.length > 0 && (
          <ul className={styles.problems} data-testid="row-problems" aria-label="Problems">
            {row.problems.map((problem) => (
              <li key={`${problem.path}:${problem.message}`} data-testid="row-problem">
                {/* Most messages name their path already ("`messages[1].role` is `bot`…"): say it once. */}
                {!problem.message.includes(`\`${problem.path}\``) && (
                  <>
                    <code>{problem.path}</code>{' '}
                  </>
                )}
                <TickedText text={problem.message} />
              </li>
            ))}
          </ul>
        )}

        {editing ? (
          <RowEditor
            datasetId={datasetId}
            row={row}
            onCancel={() => setEditing(false)}
            onSaved={(saved) => {
              onRowChanged(saved);
              onMutated();
              if (saved.valid) {
                setEditing(false);
                setStatus('Saved. The row is valid.');
              } else {
                setStatus(
                  `Saved. ${saved.problems.length} problem${saved.problems.length === 1 ? '' : 's'} left.`,
                );
              }
            }}
          />
        ) : row.canonical !== null ? (
          <ChatBubbles canonical={row.canonical} />
        ) : (
          <p className={styles.muted}>
            This row could not be read as a conversation or text; its source is below. Edit it to fix it.
          </p>
        )}

        <div className={styles.tagsRow}>
          <span className={styles.label}>Tags</span>
          <ul className={styles.tags} data-testid="row-tags">
            {row.tags.map((t) => (
              <li key={t} className={styles.tag}>
                {t}
                <button
                  type="button"
                  className={styles.tagRemove}
                  onClick={() => void tag({ remove: [t] })}
                  aria-label={`Remove tag ${t}`}
                >
                  <X size={11} aria-hidden="true" />
                </button>
              </li>
            ))}
          </ul>
          <form onSubmit={addTag} className={styles.tagForm}>
            <input
              className={styles.input}
              type="text"
              placeholder="Add tag"
              aria-label="Add tag"
              maxLength={100}
              value={newTag}
              onChange={(event) => setNewTag(event.target.value)}
              data-testid="row-tag-input"
            />
          </form>
          <span className={styles.label}>Split</span>
          <span data-testid="row-split">{row.split ?? 'unsplit'}</span>
        </div>

        <details className={styles.original} open={row.canonical === null}>
          <summary>Original</summary>
          <pre data-testid="row-original">
            {typeof row.original === 'string' ? row.original : JSON.stringify(row.original, null, 2)}
          </pre>
        </details>
      </div>
    </section>
  );
}
