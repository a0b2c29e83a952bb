import { useEffect, useId, useLayoutEffect, useRef, useState } from 'react';
import type { JobDetail } from '../../../../../preload/contract';
import { useClient } from '../../../api/client-context';
import { isActive } from '../../../state/training-store';
import { useDebouncedCall } from '../use-debounced-call';
import styles from './job-page.module.css';

type Stream = 'stdout' | 'stderr' | 'events';

const STREAMS: ReadonlyArray<{ id: Stream; label: string }> = [
  { id: 'stdout', label: 'stdout' },
  { id: 'stderr', label: 'stderr' },
  { id: 'events', label: 'events' },
];

/** How many lines of the tail are shown. */
const TAIL_LINES = 2000;
/** While the job runs, the tail is re-read this often (logs move without progress events). */
const REFRESH_MS = 2000;

/** Lines with every occurrence of `needle` marked (case-insensitive, like the core's search). */
function Highlighted({ line, needle }: { line: string; needle: string }) {
  if (needle === '') return <>{line}</>;
  const parts: React.ReactNode[] = [];
  const lower = line.toLowerCase();
  const target = needle.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(target); at !== -1; at = lower.indexOf(target, from)) {
    parts.push(line.slice(from, at), <mark key={at}>{line.slice(at, at + needle.length)}</mark>);
    from = at + needle.length;
  }
  parts.push(line.slice(from));
  return <>{parts}</>;
}

/** The run's stdout, stderr and events.jsonl tails, searchable, refreshed while the job runs. */
export function JobLogs({ job }: { job: Readonly<JobDetail> }) {
  const client = useClient();
  const [stream, setStream] = useState<Stream>('stdout');
  const [search, setSearch] = useState('');
  const [follow, setFollow] = useState(true);
  const [tick, setTick] = useState(0);
  const logRef = useRef<HTMLPreElement>(null);
  const panelId = useId();
  const active = isActive(job.status);
  const needle = search.trim();

  // Refresh on a timer while running, and once more when the status changes (the final lines).
  // biome-ignore lint/correctness/useExhaustiveDependencies: job.status is the trigger, not an input
  useEffect(() => {
    setTick((n) => n + 1);
    if (!active) return;
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [active, job.status]);

  const input = { id: job.id, stream, tailLines: TAIL_LINES, ...(needle === '' ? {} : { search: needle }) };
  const logs = useDebouncedCall(
    `${JSON.stringify(input)}#${tick}`,
    () => client.call('jobs.logs', input),
    150,
  );
  const lines = logs.value?.lines ?? null;

  useLayoutEffect(() => {
    const element = logRef.current;
    if (follow && element !== null && lines !== null) element.scrollTop = element.scrollHeight;
  }, [lines, follow]);

  return (
    <section
      className={`${styles.card} ${styles.logs}`}
      aria-labelledby="job-logs-heading"
      data-testid="job-logs"
    >
      <div className={styles.logsHead}>
        <h2 id="job-logs-heading" className={styles.cardTitle}>
          Logs
        </h2>
        <div className={styles.tabs} role="tablist" aria-label="Log stream">
          {STREAMS.map((entry) => (
            <button
              key={entry.id}
              type="button"
              role="tab"
              className={styles.tab}
              aria-selected={stream === entry.id}
              aria-controls={panelId}
              onClick={() => setStream(entry.id)}
              data-testid={`logs-tab-${entry.id}`}
            >
              {entry.label}
            </button>
          ))}
        </div>
        <input
          type="search"
          className={styles.search}
          placeholder="Search lines"
          aria-label="Search the log"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          maxLength={200}
          data-testid="logs-search"
        />
        <span className={styles.spacer} />
        <label className={styles.follow}>
          <input type="checkbox" checked={follow} onChange={(event) => setFollow(event.target.checked)} />
          Follow
        </label>
        <span className={styles.help} data-testid="logs-state">
          {active ? 'live' : 'final'}
          {logs.value?.truncated ? ` · last ${TAIL_LINES.toLocaleString()} lines` : ''}
          {lines !== null ? ` · ${lines.length.toLocaleString()} lines` : ''}
        </span>
      </div>
      {logs.error !== null && (
        <p className={styles.error} role="alert" data-testid="logs-error">
          The log could not be read: {logs.error.message}
        </p>
      )}
      <pre
        ref={logRef}
        id={panelId}
        role="tabpanel"
        className={styles.log}
        data-testid="logs-lines"
        data-stream={stream}
      >
        {lines === null
          ? 'Loading…'
          : lines.length === 0
            ? needle === ''
              ? 'Nothing written yet.'
              : `No line contains “${needle}”.`
            : lines.map((line, index) => (
                // Log lines have no identity of their own; position in this tail is it.
                // biome-ignore lint/suspicious/noArrayIndexKey: see above
                <span key={index} data-testid="log-line">
                  <Highlighted line={line} needle={needle} />
                  {'\n'}
                </span>
              ))}
      </pre>
    </section>
  );
}
