import { Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import {
  type ApiError,
  type CanonicalMessage,
  type CanonicalRow,
  type DatasetRowView,
  type Role,
  RoleSchema,
} from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import styles from './row-detail.module.css';
import { editableCanonical } from './row-text';

/**
 * Edits a row's canonical form (message roles and contents, add/remove messages, or its text) and
 * saves it with `datasets.updateRow`; the core validates it again and answers with its problems.
 */
export function RowEditor({
  datasetId,
  row,
  onSaved,
  onCancel,
}: {
  datasetId: string;
  row: DatasetRowView;
  onSaved: (row: DatasetRowView) => void;
  onCancel: () => void;
}) {
  const client = useClient();
  const [draft, setDraft] = useState<CanonicalRow>(() => editableCanonical(row));
  const [saving, setSaving] = useState(false);
  // Preference and KTO rows are edited as JSON: their three message lists do not fit one list editor.
  const [json, setJson] = useState(() => JSON.stringify(draft, null, 2));
  const [error, setError] = useState<ApiError | null>(null);

  const setMessage = (index: number, patch: Partial<CanonicalMessage>) =>
    setDraft((d) =>
      'messages' in d
        ? { ...d, messages: d.messages.map((m, i) => (i === index ? { ...m, ...patch } : m)) }
        : d,
    );
  const removeMessage = (index: number) =>
    setDraft((d) => ('messages' in d ? { ...d, messages: d.messages.filter((_, i) => i !== index) } : d));
  const addMessage = () =>
    setDraft((d) => {
      if (!('messages' in d)) return d;
      const last = d.messages.at(-1)?.role;
      const role: Role = last === 'user' ? 'assistant' : 'user';
      return { ...d, messages: [...d.messages, { role, content: '' }] };
    });

  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const canonical = 'messages' in draft || 'text' in draft ? draft : (JSON.parse(json) as CanonicalRow);
      const saved = await client.call('datasets.updateRow', { datasetId, rowId: row.id, canonical });
      onSaved(saved);
    } catch (caught) {
      setError(toApiError(caught));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className={styles.editor}
      data-testid="row-editor"
      aria-label="Edit row"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
          event.preventDefault();
          void save();
        }
      }}
    >
      {'text' in draft ? (
        <label className={styles.editField}>
          <span className={styles.role}>text</span>
          <textarea
            className={styles.textarea}
            value={draft.text}
            rows={10}
            onChange={(event) => setDraft({ text: event.target.value })}
            data-testid="row-edit-text"
          />
        </label>
      ) : !('messages' in draft) ? (
        <label className={styles.editField}>
          <span className={styles.role}>
            row (JSON: prompt, then chosen and rejected, or completion and label)
          </span>
          <textarea
            className={styles.textarea}
            value={json}
            rows={16}
            onChange={(event) => setJson(event.target.value)}
            data-testid="row-edit-json"
          />
        </label>
      ) : (
        <>
          {draft.messages.map((message, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: messages are positional
            <div key={i} className={styles.editMessage} data-testid="row-edit-message">
              <div className={styles.editHead}>
                <select
                  className={styles.select}
                  aria-label={`Role of message ${i + 1}`}
                  value={message.role}
                  onChange={(event) => setMessage(i, { role: event.target.value as Role })}
                  data-testid="row-edit-role"
                >
                  {RoleSchema.options.map((role) => (
                    <option key={role} value={role}>
                      {role}
                    </option>
                  ))}
                </select>
                <Button
                  variant="ghost"
                  onClick={() => removeMessage(i)}
                  aria-label={`Remove message ${i + 1}`}
                  data-testid="row-edit-remove"
                >
                  <Trash2 size={13} aria-hidden="true" />
                </Button>
              </div>
              <textarea
                className={styles.textarea}
                aria-label={`Content of message ${i + 1}`}
                value={message.content}
                rows={Math.min(12, Math.max(2, message.content.split('\n').length))}
                onChange={(event) => setMessage(i, { content: event.target.value })}
                data-testid="row-edit-content"
              />
            </div>
          ))}
          <div>
            <Button onClick={addMessage} data-testid="row-edit-add">
              <Plus size={13} aria-hidden="true" /> Add message
            </Button>
          </div>
        </>
      )}
      {error !== null && (
        <p className={styles.error} role="alert" data-testid="row-edit-error">
          Not saved: {error.message}
        </p>
      )}
      <div className={styles.editActions}>
        <Button
          type="submit"
          variant="primary"
          disabled={saving}
          data-testid="row-edit-save"
          title="Save (Ctrl+S)"
        >
          {saving ? 'Saving…' : 'Save'}
        </Button>
        <Button variant="ghost" onClick={onCancel} data-testid="row-edit-cancel">
          Cancel
        </Button>
      </div>
    </form>
  );
}
