import { FileSearch } from 'lucide-react';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import {
  type ApiError,
  type ChannelInput,
  type DatasetFormat,
  DatasetFormatSchema,
  type DatasetInspection,
  type DatasetShape,
  DatasetShapeSchema,
} from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ProgressBar } from '../../components/progress-bar';
import { formatBytes } from '../../format/format';
import { type TaskProgress, type TaskWatcher, watchTask } from '../../state/task-watcher';
import { ColumnMapping, DELIMITERS, type Delimiter } from './column-mapping';
import styles from './datasets.module.css';
import { SamplePreview } from './sample-preview';
import { guessMapping, missingFields, nameFromPath, needsColumnMapping, SHAPE_LABELS } from './shape-fields';
import { TickedText } from './ticked-text';

type Phase =
  | { readonly kind: 'edit' }
  | { readonly kind: 'running'; readonly taskId: string | null; readonly progress: TaskProgress | null }
  | { readonly kind: 'failed'; readonly error: ApiError }
  | { readonly kind: 'cancelled' };

/**
 * Import a dataset from a path on the core's disk: inspect it (format, encoding, detected shape with
 * its evidence, columns, first rows), map CSV/TSV columns, name it, then import with progress.
 */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const ids = useId();
  const [path, setPath] = useState('');
  const [format, setFormat] = useState<DatasetFormat | ''>('');
  const [inspecting, setInspecting] = useState(false);
  const [inspectError, setInspectError] = useState<ApiError | null>(null);
  const [inspection, setInspection] = useState<DatasetInspection | null>(null);
  const [shape, setShape] = useState<DatasetShape>('chat');
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const [delimiter, setDelimiter] = useState<Delimiter>(',');
  const [name, setName] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'edit' });
  const watcher = useRef<TaskWatcher | null>(null);
  const pathRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    pathRef.current?.focus();
    return () => watcher.current?.dispose();
  }, []);

  const running = phase.kind === 'running';

  const inspect = async (event?: FormEvent) => {
    event?.preventDefault();
    const trimmed = path.trim();
    if (trimmed === '' || inspecting || running) return;
    setInspecting(true);
    setInspectError(null);
    setInspection(null);
    setPhase({ kind: 'edit' });
    try {
      const found = await client.call('datasets.inspect', {
        path: trimmed,
        ...(format === '' ? {} : { format }),
      });
      setInspection(found);
      setShape(found.detection.shape);
      setMapping(found.columns === null ? {} : guessMapping(found.detection.shape, found.columns));
      const detected = DELIMITERS.find((d) => d.value === found.delimiter)?.value;
      setDelimiter(detected ?? (found.format === 'tsv' ? '\t' : ','));
      setName((current) => (current.trim() === '' ? nameFromPath(found.path) : current));
    } catch (caught) {
      setInspectError(toApiError(caught));
    } finally {
      setInspecting(false);
    }
  };

  const changeShape = (next: DatasetShape) => {
    setShape(next);
    if (inspection?.columns != null) setMapping(guessMapping(next, inspection.columns));
  };

  const mapsColumns = inspection !== null && needsColumnMapping(inspection.format);
  const missing = mapsColumns ? missingFields(shape, mapping) : [];

  const startImport = async () => {
    if (inspection === null || running || missing.length > 0) return;
    const input: ChannelInput<'datasets.import'> = {
      path: inspection.path,
      format: inspection.format,
      ...(name.trim() === '' ? {} : { name: name.trim() }),
      ...(shape === inspection.detection.shape ? {} : { shape }),
      ...(mapsColumns
        ? {
            csv: {
              delimiter,
              mapping: Object.fromEntries(Object.entries(mapping).filter(([, column]) => column !== '')),
            },
          }
        : {}),
    };
    watcher.current?.dispose();
    const watch = watchTask(client, {
      onProgress: (progress) =>
        setPhase((current) => (current.kind === 'running' ? { ...current, progress } : current)),
      onEnd: (outcome) => {
        watch.dispose();
        if (outcome.state === 'completed' && outcome.resultId !== null) {
          onClose();
          navigate(`/datasets/${outcome.resultId}`);
        } else if (outcome.state === 'cancelled') {
          setPhase({ kind: 'cancelled' });
        } else {
          setPhase({
            kind: 'failed',
            error: outcome.error ?? { code: 'INTERNAL', message: 'The import failed without saying why.' },
          });
        }
      },
    });
    watcher.current = watch;
    setPhase({ kind: 'running', taskId: null, progress: null });
    try {
      const { taskId } = await client.call('datasets.import', input);
      setPhase((current) => (current.kind === 'running' ? { ...current, taskId } : current));
      watch.attach(taskId);
    } catch (caught) {
      watch.dispose();
      setPhase({ kind: 'failed', error: toApiError(caught) });
    }
  };

  const cancel = async () => {
    if (phase.kind !== 'running' || phase.taskId === null) return;
    try {
      await client.call('tasks.cancel', { taskId: phase.taskId });
    } catch (caught) {
      setPhase({ kind: 'failed', error: toApiError(caught) });
    }
  };

  const close = () => {
    // Closing while an import runs leaves it running; the list shows it when it lands.
    onClose();
  };

  return (
    <Dialog
      title="Import dataset"
      onClose={close}
      testId="import-dialog"
      size="large"
      footer={
        running ? (
          <Button onClick={cancel} disabled={phase.taskId === null} data-testid="import-cancel">
            Cancel import
          </Button>
        ) : (
          <>
            <Button variant="ghost" onClick={close}>
              Close
            </Button>
            <Button
              variant="primary"
              onClick={startImport}
              disabled={inspection === null || missing.length > 0}
              data-testid="import-start"
              title={missing.length > 0 ? `Map a column to: ${missing.join(', ')}` : undefined}
            >
              Import
            </Button>
          </>
        )
      }
    >
      <form className={styles.pathForm} onSubmit={inspect}>
        <label htmlFor={`${ids}-path`} className={styles.fieldLabel}>
          File path on the server's disk
        </label>
        <div className={styles.inline}>
          <input
            id={`${ids}-path`}
            ref={pathRef}
            className={`${styles.input} ${styles.grow} ${styles.mono}`}
            type="text"
            spellCheck={false}
            autoComplete="off"
            placeholder="/home/me/data/train.jsonl"
            value={path}
            disabled={running}
            onChange={(event) => {
              setPath(event.target.value);
              setInspection(null);
            }}
            data-testid="import-path"
          />
          <select
            className={styles.input}
            aria-label="Format"
            value={format}
            disabled={running}
            onChange={(event) => setFormat(event.target.value as DatasetFormat | '')}
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
            disabled={path.trim() === '' || inspecting || running}
            data-testid="import-inspect"
          >
            <FileSearch size={14} aria-hidden="true" /> {inspecting ? 'Inspecting…' : 'Inspect'}
          </Button>
        </div>
        <p className={styles.help}>
          A JSONL, JSON, CSV, TSV, Parquet or text file. The path is read by LoRA Studio's core, which may run
          on another machine in browser mode.
        </p>
      </form>

      {inspectError !== null && (
        <p className={styles.error} role="alert" data-testid="import-inspect-error">
          {inspectError.message}
        </p>
      )}

      {inspection !== null && (
        <>
          <dl className={styles.facts} data-testid="import-inspection">
            <dt>Format</dt>
            <dd data-testid="import-detected-format">{inspection.format}</dd>
            <dt>Encoding</dt>
            <dd data-testid="import-encoding">{inspection.encoding}</dd>
            <dt>Size</dt>
            <dd>{formatBytes(inspection.sizeBytes)}</dd>
            <dt>Shape</dt>
            <dd>
              <select
                className={styles.input}
                aria-label="Row shape"
                value={shape}
                disabled={running}
                onChange={(event) => changeShape(event.target.value as DatasetShape)}
                data-testid="import-shape"
              >
                {DatasetShapeSchema.options.map((s) => {
                  const candidate = inspection.detection.candidates.find((c) => c.shape === s);
                  const fit =
                    s === inspection.detection.shape
                      ? ' — detected'
                      : candidate !== undefined
                        ? ` — fits ${candidate.matched} of ${inspection.detection.sampled}`
                        : '';
                  return (
                    <option key={s} value={s}>
                      {SHAPE_LABELS[s]}
                      {fit}
                    </option>
                  );
                })}
              </select>
            </dd>
          </dl>
          <div className={styles.evidence} data-testid="import-evidence">
            <span className={styles.fieldLabel}>
              Detected <strong data-testid="import-detected-shape">{inspection.detection.shape}</strong> from{' '}
              {inspection.detection.sampled} sampled rows
            </span>
            <ul>
              {inspection.detection.evidence.map((line) => (
                <li key={line}>
                  <TickedText text={line} />
                </li>
              ))}
            </ul>
            {inspection.detection.candidates.length > 0 && (
              <p className={styles.help} data-testid="import-candidates">
                Also fits:{' '}
                {inspection.detection.candidates
                  .map((c) => `${c.shape} (${c.matched}/${inspection.detection.sampled})`)
                  .join(', ')}
              </p>
            )}
          </div>

          {mapsColumns && inspection.columns !== null && (
            <ColumnMapping
              shape={shape}
              columns={inspection.columns}
              mapping={mapping}
              onMappingChange={setMapping}
              delimiter={delimiter}
              onDelimiterChange={setDelimiter}
              missing={missing}
              disabled={running}
            />
          )}

          <div>
            <span className={styles.fieldLabel}>First rows</span>
            <SamplePreview sample={inspection.sample} columns={inspection.columns} />
          </div>

          <label className={styles.stack}>
            <span className={styles.fieldLabel}>Name</span>
            <input
              className={styles.input}
              type="text"
              value={name}
              maxLength={200}
              disabled={running}
              onChange={(event) => setName(event.target.value)}
              data-testid="import-name"
            />
          </label>
        </>
      )}

      {phase.kind === 'running' && <ImportProgress progress={phase.progress} />}
      {phase.kind === 'failed' && (
        <div className={styles.errorBox} role="alert" data-testid="import-error">
          <strong>Import failed.</strong>
          <pre className={styles.errorText}>{phase.error.message}</pre>
        </div>
      )}
      {phase.kind === 'cancelled' && (
        <p className={styles.muted} role="status" data-testid="import-cancelled">
          Import cancelled; nothing was imported.
        </p>
      )}
    </Dialog>
  );
}

function ImportProgress({ progress }: { progress: TaskProgress | null }) {
  const done = progress?.done ?? 0;
  const total = progress?.total ?? null;
  return (
    <div className={styles.progress} data-testid="import-progress">
      <ProgressBar done={done} total={total} label="Import progress" testId="import-progress-bar" />
      <div className={styles.progressText}>
        <span>
          {progress === null
            ? 'Starting…'
            : total === null
              ? formatBytes(done)
              : `${formatBytes(done)} of ${formatBytes(total)}`}
        </span>
        <span data-testid="import-progress-message">{progress?.message ?? ''}</span>
      </div>
    </div>
  );
}
