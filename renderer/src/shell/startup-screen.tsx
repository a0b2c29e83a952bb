import { LoaderCircle, TriangleAlert } from 'lucide-react';
import { useState } from 'react';
import { type ApiError, StartupFailureSchema } from '../../../preload/contract';
import { Button } from '../components/button';
import { RestoreBackups } from './restore-backups';
import styles from './startup-screen.module.css';

/** While `app.info` is on its way: a quiet "starting" screen. */
export function StartupLoading() {
  return (
    <div className={styles.screen} data-testid="startup-loading" aria-busy="true">
      <LoaderCircle className={styles.spin} size={20} aria-hidden="true" />
      <p className={styles.muted}>Connecting to LoRA Studio…</p>
    </div>
  );
}

/** Instead of a crash: what failed at start-up, what to try, and a Retry button. */
export function StartupError({
  error,
  transport,
  onRetry,
}: {
  error: ApiError;
  transport: 'ipc' | 'ws';
  onRetry: () => Promise<void>;
}) {
  const [retrying, setRetrying] = useState(false);
  const failure = StartupFailureSchema.safeParse(error.details);
  const retry = async () => {
    setRetrying(true);
    try {
      await onRetry();
    } finally {
      setRetrying(false);
    }
  };
  return (
    <div className={styles.screen} data-testid="startup-error">
      <div className={styles.card} role="alert">
        <h1 className={styles.title}>
          <TriangleAlert size={18} aria-hidden="true" />
          LoRA Studio could not start
        </h1>
        <p className={styles.message} data-testid="startup-error-message">
          {error.message}
        </p>
        <p className={styles.code}>
          Error code <code>{error.code}</code>
        </p>
        {failure.success && <RestoreBackups failure={failure.data.startupFailure} onRestored={onRetry} />}
        <p className={styles.muted}>
          {transport === 'ws' ? (
            <>
              Check that <code>lora-studio serve</code> is still running in its terminal, then retry — or open
              the address it printed again.
            </>
          ) : (
            <>
              Restart the app. If this keeps happening, run <code>lora-studio doctor</code> in a terminal and
              include its output when you report the problem.
            </>
          )}
        </p>
        <div>
          <Button variant="primary" onClick={retry} disabled={retrying} data-testid="startup-retry">
            {retrying ? 'Retrying…' : 'Retry'}
          </Button>
        </div>
      </div>
    </div>
  );
}
