import { CircleCheck, CircleX, LoaderCircle, RefreshCw, TriangleAlert } from 'lucide-react';
import { Link } from 'react-router';
import type { PreflightCheck, PreflightResult } from '../../../../../preload/contract';
import { Button } from '../../../components/button';
import type { DebouncedCall } from '../use-debounced-call';
import styles from './new-job.module.css';

const VERDICT_ICON = { pass: CircleCheck, warn: TriangleAlert, fail: CircleX } as const;
const VERDICT_WORD = { pass: 'passed', warn: 'warning', fail: 'failed' } as const;

/** The preflight checks for the request as it stands: pass / warn / fail, each with its detail. */
export function PreflightPanel({
  preflight,
  ready,
}: {
  preflight: DebouncedCall<PreflightResult>;
  /** False while the form cannot make a request yet (nothing to check). */
  ready: boolean;
}) {
  const result = preflight.value;
  return (
    <section
      className={styles.card}
      aria-labelledby="preflight-heading"
      data-testid="preflight"
      data-state={preflight.pending ? 'pending' : result === null ? 'none' : result.ok ? 'ok' : 'blocked'}
      aria-busy={preflight.pending}
    >
      <div className={styles.cardHead}>
        <h2 id="preflight-heading" className={styles.cardTitle}>
          Preflight
        </h2>
        <Button
          variant="ghost"
          onClick={preflight.rerun}
          disabled={!ready || preflight.pending}
          data-testid="preflight-rerun"
          title="Run the checks again"
        >
          {preflight.pending ? (
            <LoaderCircle size={13} className={styles.spin} aria-hidden="true" />
          ) : (
            <RefreshCw size={13} aria-hidden="true" />
          )}
          {preflight.pending ? 'Checking…' : 'Check again'}
        </Button>
      </div>
      {!ready && (
        <p className={styles.help}>Enter a dataset version and a base model, and fix any field in red.</p>
      )}
      {preflight.error !== null && (
        <p className={styles.fieldError} role="alert" data-testid="preflight-error">
          Preflight could not run: {preflight.error.message}
        </p>
      )}
      {result !== null && <Summary checks={result.checks} />}
      {result !== null && (
        <ul className={styles.checks} aria-live="polite">
          {result.checks.map((check) => (
            <CheckRow key={check.id} check={check} />
          ))}
        </ul>
      )}
    </section>
  );
}

function CheckRow({ check }: { check: PreflightCheck }) {
  const Icon = VERDICT_ICON[check.verdict];
  return (
    <li
      className={styles.checkItem}
      data-testid="preflight-check"
      data-check-id={check.id}
      data-verdict={check.verdict}
    >
      <Icon
        size={14}
        className={`${styles.checkIcon} ${styles[check.verdict]}`}
        aria-label={VERDICT_WORD[check.verdict]}
      />
      <span className={styles.checkLabel}>{check.label}</span>
      <span className={styles.checkDetail}>
        {check.detail}
        {check.id === 'python' && check.verdict === 'fail' && (
          <>
            {' '}
            {/* The guide's Python step has the "Set up Python environment" button. */}
            <Link to="/setup" data-testid="preflight-python-fix">
              Set up the Python environment
            </Link>
          </>
        )}
      </span>
    </li>
  );
}

function Summary({ checks }: { checks: ReadonlyArray<PreflightCheck> }) {
  const count = (verdict: PreflightCheck['verdict']) =>
    checks.filter((check) => check.verdict === verdict).length;
  const failed = count('fail');
  const warned = count('warn');
  const text =
    failed > 0
      ? `${failed} failed${warned > 0 ? `, ${warned} warning${warned > 1 ? 's' : ''}` : ''}: the job cannot be queued.`
      : warned > 0
        ? `Ready, with ${warned} warning${warned > 1 ? 's' : ''}.`
        : 'Ready: every check passed.';
  return (
    <p
      className={`${styles.preflightSummary} ${failed > 0 ? styles.fail : warned > 0 ? styles.warn : styles.pass}`}
      data-testid="preflight-summary"
    >
      {text}
    </p>
  );
}
