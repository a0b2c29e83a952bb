import { ArrowRight, Copy, FolderOutput, Package, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ModelArtifactDetail, OllamaExport } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { useChannel } from '../../api/use-channel';
import { Button } from '../../components/button';
import { formatBytes, formatDateTime, formatLoss } from '../../format/format';
import { ConfirmDialog } from '../training/confirm-dialog';
import { GgufExport } from './gguf-export';
import styles from './library.module.css';
import { MergePanel } from './merge-panel';
import { TryItPanel } from './try-it-panel';

/** The lineage line: dataset version → job → adapter, each a link where it still exists. */
function Lineage({ a }: { a: ModelArtifactDetail }) {
  return (
    <p className={styles.lineage} data-testid="artifact-lineage">
      {a.datasetId !== null ? (
        <Link to={`/datasets/${a.datasetId}`} data-testid="lineage-dataset">
          {a.datasetLabel}
        </Link>
      ) : (
        <span>{a.datasetLabel ?? 'no dataset'}</span>
      )}
      <ArrowRight size={13} aria-label="to" />
      {a.jobId !== null ? (
        <Link to={`/training/jobs/${a.jobId}`} data-testid="lineage-job">
          {a.jobName ?? a.jobId}
        </Link>
      ) : (
        <span>deleted job</span>
      )}
      <ArrowRight size={13} aria-label="to" />
      <strong>{a.checkpointStep !== null ? `checkpoint ${a.checkpointStep}` : a.kind}</strong>
    </p>
  );
}

/** One artifact: lineage, path, metrics, files, and what can be done with it. */
export function ArtifactDetail({ id }: { id: string }) {
  const client = useClient();
  const navigate = useNavigate();
  const { value: a, error } = useChannel('models.get', { id }, ['models']);
  const [copyTo, setCopyTo] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [ollama, setOllama] = useState<OllamaExport | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [deleteFiles, setDeleteFiles] = useState(false);

  if (error !== null) {
    return (
      <p className={styles.error} role="alert" data-testid="artifact-error">
        {error.message}
      </p>
    );
  }
  if (a === null) return <p className={styles.help}>Loading…</p>;

  const act = async (what: () => Promise<string | null>) => {
    setBusy(true);
    setActionError(null);
    setMessage(null);
    try {
      setMessage(await what());
    } catch (caught) {
      setActionError(toApiError(caught).message);
    } finally {
      setBusy(false);
    }
  };

  const m = a.metrics;
  return (
    <div className={styles.detail} data-testid="artifact-detail" data-id={a.id}>
      <h2 className={styles.detailTitle}>{a.name}</h2>
      <Lineage a={a} />
      <dl className={styles.facts}>
        <dt>Path</dt>
        <dd>
          <code data-testid="artifact-path">{a.path}</code>{' '}
          <Button
            variant="ghost"
            aria-label="Copy the path"
            onClick={() => void navigator.clipboard?.writeText(a.path).then(() => setMessage('Path copied.'))}
          >
            <Copy size={13} aria-hidden="true" />
          </Button>
          {!a.present && <span className={styles.warnText}> (folder missing)</span>}
        </dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(a.sizeBytes)} in {a.files.length} files
        </dd>
        <dt>sha256</dt>
        <dd>
          <code className={styles.hash} data-testid="artifact-sha256">
            {a.sha256 ?? '–'}
          </code>{' '}
          <span className={styles.sub}>{a.weightsFile}</span>
        </dd>
        <dt>Base model</dt>
        <dd>
          <code>{a.baseModelPath ?? '–'}</code>
          {a.baseModelConfigHash !== null && (
            <span className={styles.sub} title={a.baseModelConfigHash}>
              {' '}
              config {a.baseModelConfigHash.slice(0, 12)}…
            </span>
          )}
        </dd>
        <dt>Loss</dt>
        <dd data-testid="artifact-metrics">
          final {formatLoss(m.finalLoss)} · best {formatLoss(m.bestLoss)} · eval final{' '}
          {formatLoss(m.finalEvalLoss)} · eval best {formatLoss(m.bestEvalLoss)}
          {m.bestEvalStep !== null ? ` (step ${m.bestEvalStep})` : ''}
        </dd>
        <dt>Created</dt>
        <dd>
          {formatDateTime(a.createdAt)}
          {a.step !== null ? ` · step ${a.step}` : ''}
        </dd>
      </dl>

      <div className={styles.actions}>
        <form
          className={styles.copyForm}
          onSubmit={(e) => {
            e.preventDefault();
            void act(async () => {
              const r = await client.call('models.copy', { id: a.id, to: copyTo });
              return `Copied ${r.files} files (${formatBytes(r.bytes)}) to ${r.path}.`;
            });
          }}
        >
          <label className="visually-hidden" htmlFor="copy-to">
            Copy to folder
          </label>
          <input
            id="copy-to"
            placeholder="/full/path/to/a/new/folder"
            value={copyTo}
            onChange={(e) => setCopyTo(e.target.value)}
            data-testid="artifact-copy-to"
          />
          <Button type="submit" disabled={busy || copyTo.trim() === ''} data-testid="artifact-copy">
            <FolderOutput size={13} aria-hidden="true" /> Copy to folder
          </Button>
        </form>
        <Button
          disabled={busy || a.kind !== 'adapter'}
          onClick={() =>
            void act(async () => {
              setOllama(await client.call('models.exportOllama', { id: a.id }));
              return null;
            })
          }
          data-testid="artifact-export-ollama"
        >
          <Package size={13} aria-hidden="true" /> Ollama Modelfile
        </Button>
        <Button variant="ghost" onClick={() => setConfirming(true)} data-testid="artifact-delete">
          <Trash2 size={13} aria-hidden="true" /> Delete…
        </Button>
      </div>
      {a.kind === 'adapter' && <MergePanel key={a.id} artifactId={a.id} />}
      {a.kind === 'adapter' && <GgufExport artifactId={a.id} />}
      {message !== null && (
        <p className={styles.ok} role="status" data-testid="artifact-message">
          {message}
        </p>
      )}
      {actionError !== null && (
        <p className={styles.error} role="alert" data-testid="artifact-action-error">
          {actionError}
        </p>
      )}
      {ollama !== null && (
        <div className={styles.ollama} data-testid="artifact-ollama">
          <p className={styles.help}>
            Wrote <code>{ollama.modelfilePath}</code>. Build the model with:
          </p>
          <pre data-testid="artifact-ollama-command">{ollama.command}</pre>
          {ollama.notes.map((note) => (
            <p key={note} className={styles.help}>
              {note}
            </p>
          ))}
        </div>
      )}

      {(a.kind === 'adapter' || a.kind === 'merged') && (
        <TryItPanel key={a.id} artifactId={a.id} kind={a.kind} />
      )}
      <details className={styles.more}>
        <summary>Files ({a.files.length})</summary>
        <ul className={styles.files}>
          {a.files.map((f) => (
            <li key={f.name}>
              <code>{f.name}</code> <span className={styles.sub}>{formatBytes(f.sizeBytes)}</span>
            </li>
          ))}
        </ul>
      </details>
      {a.config !== null && (
        <details className={styles.more}>
          <summary>Training config</summary>
          <pre className={styles.config}>{JSON.stringify(a.config, null, 2)}</pre>
        </details>
      )}

      <ConfirmDialog
        open={confirming}
        title={`Delete ${a.name}?`}
        confirmLabel={deleteFiles ? 'Delete with its files' : 'Remove from library'}
        onClose={() => setConfirming(false)}
        onConfirm={() =>
          void act(async () => {
            await client.call('models.delete', { id: a.id, deleteFiles });
            navigate('/models');
            return null;
          })
        }
        testId="artifact-delete-dialog"
      >
        <p>It leaves the library. Its folder stays on disk unless you tick the box.</p>
        <label className={styles.checkbox}>
          <input
            type="checkbox"
            checked={deleteFiles}
            onChange={(e) => setDeleteFiles(e.target.checked)}
            data-testid="artifact-delete-files"
          />{' '}
          Also delete <code>{a.path}</code> ({formatBytes(a.sizeBytes)})
        </label>
      </ConfirmDialog>
    </div>
  );
}
