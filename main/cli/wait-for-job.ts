import type { JobDetail } from '../../preload/contract';
import { call } from './cli-context';
import type { CliCore } from './primary-client';

const TERMINAL: ReadonlySet<string> = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/** How a wait on a job ended. */
export type JobWait =
  | { readonly kind: 'ended'; readonly job: JobDetail }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'lost' };

/**
 * Follow a job through the core's events until it ends, the timeout passes, Ctrl-C is pressed or the
 * connection to the primary drops. Progress lines go to stderr (not with --json). No polling: every
 * `changed` event for the job re-reads it.
 */
export async function waitForJob(
  core: CliCore,
  id: string,
  options: { readonly json: boolean; readonly timeoutMs?: number; readonly signals?: boolean },
): Promise<JobWait> {
  let last = '';
  let finish: (outcome: JobWait) => void = () => {};
  let fail: (error: unknown) => void = () => {};
  const done = new Promise<JobWait>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  const check = (): void => {
    call(core, 'jobs.get', { id }).then((job) => {
      if (TERMINAL.has(job.status)) finish({ kind: 'ended', job });
    }, fail);
  };
  const unsubscribe = core.events.subscribe((e) => {
    if (
      e.name === 'changed' &&
      e.payload.entity === 'jobs' &&
      (e.payload.id === id || e.payload.id === null)
    ) {
      check();
    }
    if (options.json || e.name !== 'job.progress' || e.payload.id !== id) return;
    const p = e.payload;
    const line = `${p.status} step ${p.step}${p.maxSteps ? `/${p.maxSteps}` : ''}${p.loss !== null ? ` loss ${p.loss.toFixed(4)}` : ''}`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
  });
  const timer =
    options.timeoutMs === undefined ? null : setTimeout(() => finish({ kind: 'timeout' }), options.timeoutMs);
  const onSigint = (): void => finish({ kind: 'interrupted' });
  if (options.signals !== false) process.once('SIGINT', onSigint);
  void core.lost.then(() => finish({ kind: 'lost' }));
  // A core of our own that is not the primary sees none of the primary's events (an older app
  // without a command socket holds the folder): only then is the job re-read on a timer.
  const poll = core.remote === null && !core.info.isPrimary ? setInterval(check, 1000) : null;
  check();
  try {
    return await done;
  } finally {
    unsubscribe();
    if (timer !== null) clearTimeout(timer);
    if (poll !== null) clearInterval(poll);
    process.off('SIGINT', onSigint);
  }
}
