/**
 * The app's own history of a run, appended to `<run>/timeline.jsonl`: status changes, and the few
 * protocol events that matter after the fact (phases, start, checkpoints, done, error). The
 * training_jobs row has no column for a history, and these are rare, small lines. Event entries
 * are written before the offset that covers them is committed, so a crash can repeat an entry but
 * never lose one; readers drop exact repeats.
 */
import { appendFile, open } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobStatus } from '../../preload/contract';

export const TIMELINE_FILE = 'timeline.jsonl';
/** Only the newest part of a history past this size is read (it grows by a few lines per run). */
const MAX_TIMELINE_BYTES = 4 << 20;

export type TimelineEntry =
  | { readonly kind: 'status'; readonly at: number; readonly status: JobStatus; readonly note: string | null }
  | { readonly kind: 'phase'; readonly at: number; readonly seq: number; readonly phase: string }
  | {
      readonly kind: 'started';
      readonly at: number;
      readonly seq: number;
      readonly maxSteps: number | null;
      readonly resumedFromStep: number | null;
      readonly note: string;
    }
  | {
      readonly kind: 'checkpoint';
      readonly at: number;
      readonly seq: number;
      readonly step: number;
      readonly path: string;
    }
  | {
      readonly kind: 'done';
      readonly at: number;
      readonly seq: number;
      readonly status: 'completed' | 'cancelled';
      readonly step: number | null;
      readonly adapterPath: string | null;
    }
  | {
      /** Something a person should see while the run goes on (a NaN loss). */
      readonly kind: 'warning';
      readonly at: number;
      readonly seq: number;
      readonly step: number;
      readonly message: string;
    }
  | {
      readonly kind: 'error';
      readonly at: number;
      readonly seq: number;
      readonly message: string;
      readonly oom: boolean;
    };

/** Append entries to a run's timeline. */
export async function appendTimeline(runDir: string, entries: ReadonlyArray<TimelineEntry>): Promise<void> {
  if (entries.length === 0) return;
  await appendFile(join(runDir, TIMELINE_FILE), entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
}

/** Read a run's timeline, oldest first, exact repeats removed; a missing file is an empty history. */
export async function readTimeline(runDir: string): Promise<TimelineEntry[]> {
  let text: string;
  try {
    const handle = await open(join(runDir, TIMELINE_FILE), 'r');
    try {
      const { size } = await handle.stat();
      const length = Math.min(size, MAX_TIMELINE_BYTES);
      const buffer = Buffer.alloc(length);
      await handle.read(buffer, 0, length, size - length);
      text = buffer.toString('utf8');
    } finally {
      await handle.close();
    }
  } catch {
    return [];
  }
  const seen = new Set<string>();
  const entries: TimelineEntry[] = [];
  for (const line of text.split('\n')) {
    if (!line || seen.has(line)) continue;
    seen.add(line);
    try {
      const entry = JSON.parse(line) as TimelineEntry;
      if (entry && typeof entry.kind === 'string' && typeof entry.at === 'number') entries.push(entry);
    } catch {
      // A torn last line after a crash: skip it.
    }
  }
  return entries;
}

/** The entries of the current attempt: everything after the last `starting` status. */
export function currentAttempt(entries: ReadonlyArray<TimelineEntry>): ReadonlyArray<TimelineEntry> {
  for (let i = entries.length - 1; i >= 0; i--) {
    const e = entries[i];
    if (e?.kind === 'status' && e.status === 'starting') return entries.slice(i + 1);
  }
  return entries;
}

export type TerminalEntry = Extract<TimelineEntry, { kind: 'done' } | { kind: 'error' }>;

/** The `done` event of the current attempt if any, else its last `error` event. */
export function terminalEntry(entries: ReadonlyArray<TimelineEntry>): TerminalEntry | null {
  const attempt = currentAttempt(entries);
  let error: TerminalEntry | null = null;
  for (const e of attempt) {
    if (e.kind === 'done') return e;
    if (e.kind === 'error') error = e;
  }
  return error;
}

/** Checkpoints recorded in the timeline, one per step (the latest path wins), in step order. */
export function checkpointsOf(
  entries: ReadonlyArray<TimelineEntry>,
): Array<{ readonly step: number; readonly path: string }> {
  const bySteps = new Map<number, string>();
  for (const e of entries) if (e.kind === 'checkpoint') bySteps.set(e.step, e.path);
  return [...bySteps.entries()].sort((a, b) => a[0] - b[0]).map(([step, path]) => ({ step, path }));
}
