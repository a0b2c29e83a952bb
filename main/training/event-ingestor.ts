/**
 * Turns lines read from events.jsonl into SQLite state. One call = one transaction holding the
 * metric points AND the job row's new offset/seq/progress, so a crash at any moment neither loses
 * nor repeats a step (metric points also upsert on job/name/step).
 */
import type { Clock } from '../../db/ids';
import type { Db, SqliteDatabase } from '../../db/open';
import { type MetricPoint, MetricsRepository } from '../../db/repositories/metrics-repository';
import { TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type { JobStatus } from '../../preload/contract';
import type { TailRead } from './events-tailer';
import { appendTimeline, type TimelineEntry } from './run-timeline';
import { EVAL_METRICS, LOG_METRICS, parseEventLine, type TrainerEvent } from './trainer-events';

/** Reserved metric: the count of unusable event lines, at step 0 (names starting with `_` are internal). */
export const BAD_LINES_METRIC = '_bad_event_lines';

/** What the supervisor knows of a running job, kept in step with its row. */
export interface IngestState {
  status: JobStatus;
  offset: number;
  lastSeq: number;
  step: number;
  maxSteps: number | null;
  etaSeconds: number | null;
  lastLoss: number | null;
  badLines: number;
  /**
   * Consecutive logged steps whose loss was not finite (0 after a finite one). A re-attached
   * supervisor starts from the stored points (MetricsRepository.trailingNulls), not from zero.
   */
  nanStreak: number;
  /** The step at which the streak reached `nanLimit` (null: not reached), what the stop reports. */
  nanLimitStep: number | null;
}

export interface IngestResult {
  readonly events: number;
  readonly bad: number;
  readonly statusChanged: boolean;
}

export interface EventIngestorDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly jobId: string;
  /** The job's current attempt (1, then one more per resume): its points are stored under it. */
  readonly attempt: number;
  /** Absolute run folder (for the timeline). */
  readonly runDir: string;
  readonly now: Clock;
  /** The job's `stop_after_nan_steps` (0: none): where the streak reaches it is recorded in the state. */
  readonly nanLimit?: number;
}

function progressOf(step: number, maxSteps: number | null): number {
  return maxSteps && maxSteps > 0 ? Math.min(1, Math.max(0, step / maxSteps)) : 0;
}

/** Applies batches of event lines to one job. */
export class EventIngestor {
  private readonly jobs: TrainingJobsRepository;
  private readonly metrics: MetricsRepository;

  constructor(
    private readonly deps: EventIngestorDeps,
    readonly state: IngestState,
  ) {
    this.jobs = new TrainingJobsRepository(deps.db, deps.sqlite, deps.now);
    this.metrics = new MetricsRepository(deps.db, deps.sqlite, deps.now);
  }

  /** Progress of the job as a fraction, from its state. */
  get progress(): number {
    return progressOf(this.state.step, this.state.maxSteps);
  }

  /** Apply one read; the state only changes if the transaction commits. */
  async apply(read: TailRead): Promise<IngestResult> {
    const next: IngestState = { ...this.state, offset: read.nextOffset };
    const points: MetricPoint[] = [];
    const timeline: TimelineEntry[] = [];
    let bad = read.invalid;
    let events = 0;
    for (const line of read.lines) {
      const parsed = parseEventLine(line);
      if ('bad' in parsed) {
        bad++;
        continue;
      }
      events++;
      if (parsed.event.type === 'log')
        this.countNonFinite(parsed.event, parsed.nonFiniteLoss, next, timeline);
      this.applyEvent(parsed.event, next, points, timeline);
    }
    if (bad > 0) {
      next.badLines += bad;
      points.push({ name: BAD_LINES_METRIC, step: 0, value: next.badLines, ts: this.deps.now() });
    }
    const statusChanged = next.status !== this.state.status;
    if (statusChanged) {
      timeline.push({ kind: 'status', at: this.deps.now(), status: next.status, note: null });
    }
    // The timeline first: if we crash before the commit, the entries are written again (and
    // de-duplicated on read); the other order could lose them.
    await appendTimeline(this.deps.runDir, timeline);
    this.jobs.recordProgress(
      this.deps.jobId,
      this.state.status,
      next.status,
      {
        offset: next.offset,
        lastSeq: next.lastSeq,
        step: next.step,
        maxSteps: next.maxSteps,
        progress: progressOf(next.step, next.maxSteps),
        etaSeconds: next.etaSeconds,
      },
      points,
      this.deps.attempt,
    );
    Object.assign(this.state, next);
    return { events, bad, statusChanged };
  }

  /**
   * What a new attempt does to the earlier ones' history: the points it will log again are
   * superseded (kept, marked by their attempt), and a trainer that ignored the checkpoint says so.
   */
  private resumeNotes(resumedFromStep: number | null): string[] {
    const attempt = this.deps.attempt;
    if (attempt <= 1) return [];
    const notes = [`attempt ${attempt}`];
    if (!resumedFromStep) notes.push('restarted from step 1, not from a checkpoint');
    const superseded = this.metrics.supersededBy(this.deps.jobId, 'loss', attempt, resumedFromStep ?? 0);
    if (superseded.count > 0) {
      const range =
        superseded.first === superseded.last
          ? `step ${superseded.first}`
          : `steps ${superseded.first}–${superseded.last}`;
      notes.push(`${range} of earlier attempts superseded (kept in the history)`);
    }
    return notes;
  }

  /** A NaN loss: a warning on the timeline when a streak of them starts, and the streak counted. */
  private countNonFinite(
    e: Extract<TrainerEvent, { type: 'log' }>,
    nonFinite: boolean,
    s: IngestState,
    timeline: TimelineEntry[],
  ): void {
    if (!nonFinite) {
      s.nanStreak = 0;
      return;
    }
    s.nanStreak += 1;
    const limit = this.deps.nanLimit ?? 0;
    if (limit > 0 && s.nanStreak >= limit && s.nanLimitStep === null) s.nanLimitStep = e.step;
    if (s.nanStreak > 1) return;
    timeline.push({
      kind: 'warning',
      at: e.ts !== null ? Math.round(e.ts * 1000) : this.deps.now(),
      seq: e.seq,
      step: e.step,
      message: `the loss is NaN (not a finite number) at step ${e.step}: try a lower learning rate, fp32/bf16 instead of fp16, or max_grad_norm`,
    });
  }

  private applyEvent(
    e: TrainerEvent,
    s: IngestState,
    points: MetricPoint[],
    timeline: TimelineEntry[],
  ): void {
    const at = e.ts !== null ? Math.round(e.ts * 1000) : this.deps.now();
    s.lastSeq = e.seq;
    switch (e.type) {
      case 'phase':
        timeline.push({ kind: 'phase', at, seq: e.seq, phase: e.phase });
        return;
      case 'started': {
        if (e.max_steps !== null && e.max_steps > 0) s.maxSteps = e.max_steps;
        if (e.resumed_from_step !== null) s.step = e.resumed_from_step;
        if (s.status === 'starting') s.status = 'running';
        const parts = [
          e.max_steps !== null ? `${e.max_steps} steps` : null,
          e.precision,
          e.world_size !== null && e.world_size > 1 ? `${e.world_size} processes` : null,
          e.resumed_from_step ? `resumed from step ${e.resumed_from_step}` : null,
          ...this.resumeNotes(e.resumed_from_step),
        ].filter((p): p is string => p !== null);
        timeline.push({
          kind: 'started',
          at,
          seq: e.seq,
          maxSteps: e.max_steps,
          resumedFromStep: e.resumed_from_step,
          note: parts.join(', '),
        });
        return;
      }
      case 'log':
        s.step = e.step;
        s.etaSeconds = e.eta_s;
        s.lastLoss = e.loss;
        if (s.status === 'starting') s.status = 'running';
        points.push({ name: 'loss', step: e.step, value: e.loss, ts: at });
        for (const name of LOG_METRICS) {
          const value = e[name];
          if (name !== 'loss' && value !== null) points.push({ name, step: e.step, value, ts: at });
        }
        return;
      case 'eval':
        points.push({ name: 'eval_loss', step: e.step, value: e.eval_loss, ts: at });
        for (const name of EVAL_METRICS) {
          if (name !== 'eval_loss' && e[name] !== null)
            points.push({ name, step: e.step, value: e[name], ts: at });
        }
        return;
      case 'checkpoint':
        s.step = Math.max(s.step, e.step);
        timeline.push({
          kind: 'checkpoint',
          at,
          seq: e.seq,
          step: e.step,
          path: e.path ?? `checkpoints/checkpoint-${e.step}`,
        });
        return;
      case 'done':
        if (e.step !== null) s.step = e.step;
        s.etaSeconds = e.status === 'completed' ? 0 : s.etaSeconds;
        timeline.push({
          kind: 'done',
          at,
          seq: e.seq,
          status: e.status,
          step: e.step,
          adapterPath: e.adapter_path,
        });
        return;
      case 'error':
        timeline.push({ kind: 'error', at, seq: e.seq, message: e.message, oom: e.oom });
        return;
      default: {
        const never: never = e;
        throw new Error(`unhandled event ${JSON.stringify(never)}`);
      }
    }
  }
}
