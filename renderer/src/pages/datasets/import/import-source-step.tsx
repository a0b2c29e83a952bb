import { FileSearch, FolderOpen } from 'lucide-react';
import { type Dispatch, type FormEvent, useEffect, useId, useRef } from 'react';
import { DatasetFormatSchema } from '../../../../../preload/contract';
import { Button } from '../../../components/button';
import styles from '../datasets.module.css';
import type { ImportAction, ImportState } from './import-state';

/** Step 1: the file's path on the core's disk and its format (or detection), then Inspect. */
export function ImportSourceStep({
  state,
  dispatch,
  onInspect,
}: {
  state: ImportState;
  dispatch: Dispatch<ImportAction>;
  onInspect: () => void;
}) {
  const id = useId();
  const pathRef = useRef<HTMLInputElement>(null);
  const running = state.phase.kind === 'running';

  useEffect(() => {
    pathRef.current?.focus();
  }, []);

  // Desktop only: a native dialog fills the path (cancelling it leaves what is there).
  const desktop = window.desktop;
  const browse = async () => {
    const picked = await desktop?.pickPath({
      mode: 'open',
      title: 'Import a dataset',
      defaultPath: state.path.trim() === '' ? undefined : state.path.trim(),
      filters: [
        { name: 'Datasets', extensions: ['jsonl', 'json', 'csv', 'tsv', 'parquet', 'txt'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
    if (picked != null) dispatch({ type: 'path', path: picked });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onInspect();
  };

  return (
    <form className={styles.pathForm} onSubmit={submit}>
      <label htmlFor={`${id}-path`} className={styles.fieldLabel}>
        File path on the server's disk
      </label>
      <div className={styles.inline}>
        <input
          id={`${id}-path`}
          ref={pathRef}
          className={`${styles.input} ${styles.grow} ${styles.mono}`}
          type="text"
          spellCheck={false}
          autoComplete="off"
          placeholder="/home/me/data/train.jsonl"
          value={state.path}
          disabled={running}
          onChange={(event) => dispatch({ type: 'path', path: event.target.value })}
          data-testid="import-path"
        />
        {desktop !== undefined && (
          <Button onClick={() => void browse()} disabled={running} data-testid="import-browse">
            <FolderOpen size={14} aria-hidden="true" /> Browse…
          </Button>
        )}
        <select
          className={styles.input}
          aria-label="Format"
          value={state.format}
          disabled={running}
          onChange={(event) =>
            dispatch({ type: 'format', format: event.target.value as ImportState['format'] })
          }
          data-testid="import-format"
        >
          <option value="">Format: detect</option>
          {DatasetFormatSchema.options.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </select>
        <Button
          type="submit"
          disabled={state.path.trim() === '' || state.inspecting || running}
          data-testid="import-inspect"
        >
          <FileSearch size={14} aria-hidden="true" /> {state.inspecting ? 'Inspecting…' : 'Inspect'}
        </Button>
      </div>
      <p className={styles.help}>
        A JSONL, JSON, CSV, TSV, Parquet or text file. The path is read by LoRA Studio's core, which may run
        on another machine in browser mode.
      </p>
    </form>
  );
}
