import { Download } from 'lucide-react';
import { type FormEvent, useId, useState } from 'react';
import { Link } from 'react-router';
import { Button } from '../../components/button';
import { fractionOf, ProgressBar } from '../../components/progress-bar';
import { formatBytes } from '../../format/format';
import styles from './first-run.module.css';
import { isOffline, useModelDownload } from './use-model-download';

/**
 * Download one Hub model into the Hugging Face cache: a button, then a progress bar in bytes with
 * Cancel, then where it went. `online === false` (the Hub did not answer the guide's probe) says so
 * up front; the button stays as "Try anyway" because a proxy can reach what the probe cannot.
 */
export function ModelDownload({ repoId, online }: { repoId: string; online: boolean | null }) {
  const { state, start, cancel } = useModelDownload();
  return (
    <div className={styles.download} data-testid="model-download" data-repo={repoId} data-state={state.kind}>
      {(state.kind === 'idle' || state.kind === 'cancelled' || state.kind === 'failed') && (
        <>
          {online === false && state.kind === 'idle' && (
            <span
              className={styles.offline}
              data-testid="model-download-offline"
              title="The Hugging Face Hub did not answer this machine's check"
            >
              Offline
            </span>
          )}
          <Button
            variant={online === false && state.kind === 'idle' ? 'ghost' : 'secondary'}
            onClick={() => void start(repoId)}
            data-testid="model-download-start"
            aria-label={`Download ${repoId}`}
            title={`Download ${repoId} into the Hugging Face cache (resumes a partial download)`}
          >
            <Download size={13} aria-hidden="true" />
            {state.kind === 'idle' ? (online === false ? 'Try anyway' : 'Download') : 'Retry'}
          </Button>
        </>
      )}
      {state.kind === 'running' && (
        <>
          <div className={styles.downloadBar}>
            <ProgressBar
              value={state.progress === null ? null : fractionOf(state.progress.done, state.progress.total)}
              label={`Downloading ${repoId}`}
              testId="model-download-progress"
            />
            <span className={styles.muted} data-testid="model-download-bytes">
              {state.progress === null
                ? 'Starting…'
                : `${formatBytes(state.progress.done)}${state.progress.total === null ? '' : ` of ${formatBytes(state.progress.total)}`}`}
            </span>
          </div>
          <Button
            variant="ghost"
            onClick={cancel}
            disabled={state.taskId === null}
            data-testid="model-download-cancel"
          >
            Cancel
          </Button>
        </>
      )}
      {state.kind === 'done' && (
        <span className={styles.downloaded} data-testid="model-download-done">
          Downloaded.{' '}
          <Link to={`/training/new?model=${encodeURIComponent(state.path)}`} data-testid="model-download-use">
            Train on it
          </Link>
        </span>
      )}
      {state.kind === 'cancelled' && (
        <span className={styles.muted} data-testid="model-download-cancelled">
          Cancelled; Retry resumes it.
        </span>
      )}
      {state.kind === 'failed' && (
        <p
          className={isOffline(state.error) ? styles.offline : styles.downloadError}
          role="alert"
          data-testid="model-download-error"
          data-reason={isOffline(state.error) ? 'offline' : state.error.code}
        >
          {state.error.message}
        </p>
      )}
    </div>
  );
}

/** Any model by its Hub id (`org/name`), for models not in the starting list. */
export function HubDownloadForm({ online }: { online: boolean | null }) {
  const id = useId();
  const [text, setText] = useState('');
  const [repoId, setRepoId] = useState<string | null>(null);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim() !== '') setRepoId(text.trim());
  };
  return (
    <form className={styles.hubForm} onSubmit={submit} data-testid="hub-download-form">
      <label htmlFor={id}>Another model from the Hub</label>
      <input
        id={id}
        className={styles.hubInput}
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="org/name, e.g. Qwen/Qwen2.5-0.5B-Instruct"
        spellCheck={false}
        autoComplete="off"
        data-testid="hub-download-id"
      />
      <Button type="submit" disabled={text.trim() === ''} data-testid="hub-download-choose">
        Choose
      </Button>
      {repoId !== null && <ModelDownload key={repoId} repoId={repoId} online={online} />}
    </form>
  );
}
