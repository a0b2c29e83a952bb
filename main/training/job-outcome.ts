/**
 * How a run ended, decided once from what is known (exit code or signal if we saw the exit, the
 * trainer's own `done`/`error` event, whether we asked it to cancel), and applied once: the job row,
 * its timeline, the adapter in the model library, then the onFinished hook (cost, notification)
 * and the change events.
 */
import { join } from 'node:path';
import type { Clock } from '../../db/ids';
import type { Db, SqliteDatabase } from '../../db/open';
import { type TrainingJobRow, TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type { JobStatus } from '../../preload/contract';
import { registerAdapter } from '../artifacts/adapter-artifact';
import type { EventBus } from '../events/event-bus';
import { readLogTail } from './log-tail';
import {
  appendTimeline,
  checkpointsOf,
  readTimeline,
  type TerminalEntry,
  terminalEntry,
} from './run-timeline';

export type FinalStatus = Extract<JobStatus, 'completed' | 'failed' | 'cancelled' | 'interrupted'>;

/** Exit codes of the protocol. */
export const EXIT_COMPLETED = 0;
export const EXIT_CANCELLED = 3;
const STDERR_TAIL_LINES = 50;

export interface ExitFacts {
  /** False after a re-attach (the process was not our child) or when the app was down. */
  readonly exitKnown: boolean;
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly terminal: TerminalEntry | null;
  readonly cancelRequested: boolean;
  /** What an unexplained end counts as: `interrupted` when the app was down, else `failed`. */
  readonly unexplained: 'failed' | 'interrupted';
  /** A problem that happened before the trainer could run (spawn failure). */
  readonly launchError?: string | null;
  /** Why the supervisor stopped the run itself (e.g. a NaN streak): a failure, not a cancel. */
  readonly stopReason?: string | null;
}

export interface Decision {
  readonly status: FinalStatus;
  /** The headline of what went wrong (null unless failed or interrupted). */
  readonly reason: string | null;
}

function describeExit(f: ExitFacts): string {
  if (!f.exitKnown) return 'ended while the app was not watching (exit code unknown)';
  // A SIGKILL nobody asked for is most often the kernel's out-of-memory killer.
  if (f.signal === 'SIGKILL') {
    return 'was killed by SIGKILL (often the system running out of memory: see `dmesg`; or someone ended it)';
  }
  if (f.signal) return `was stopped by ${f.signal}`;
  return `exited with code ${f.exitCode}`;
}

/** Decide the final status of a run (pure). */
export function decideOutcome(f: ExitFacts): Decision {
  if (f.launchError) return { status: 'failed', reason: f.launchError };
  const done = f.terminal?.kind === 'done' ? f.terminal : null;
  const errorEvent = f.terminal?.kind === 'error' ? f.terminal : null;
  const exitOk = !f.exitKnown || (f.exitCode === EXIT_COMPLETED && f.signal === null);
  if (done?.status === 'completed' && exitOk) return { status: 'completed', reason: null };
  if (f.stopReason) return { status: 'failed', reason: f.stopReason };
  if (f.exitCode === EXIT_CANCELLED || done?.status === 'cancelled')
    return { status: 'cancelled', reason: null };
  if (f.cancelRequested) return { status: 'cancelled', reason: null };
  if (errorEvent)
    return { status: 'failed', reason: `${errorEvent.message} (the trainer ${describeExit(f)})` };
  if (done?.status === 'completed') {
    return { status: 'failed', reason: `the trainer reported completion but ${describeExit(f)}` };
  }
  if (!f.exitKnown) {
    return {
      status: f.unexplained,
      reason:
        f.unexplained === 'interrupted'
          ? 'the trainer stopped while the app was not running; resume from the last checkpoint'
          : 'the trainer ended without a final event; exit code unknown after re-attaching',
    };
  }
  if (f.exitCode === EXIT_COMPLETED && f.signal === null) {
    return { status: 'failed', reason: 'the trainer exited with code 0 without reporting completion' };
  }
  // describeExit reads after "the trainer": "was killed by SIGKILL…", "exited with code 1".
  return { status: 'failed', reason: `the trainer ${describeExit(f)}` };
}

/** A run that just ended, as the services that follow an end (costs, notifications) see it. */
export interface JobEnd {
  readonly job: TrainingJobRow;
  readonly status: FinalStatus;
  /** The headline of what went wrong (failed, interrupted); null otherwise. */
  readonly reason: string | null;
  /** The timeline note ("finished at step 20"). */
  readonly note: string | null;
  /** The trainer said it ran out of GPU memory. */
  readonly oom: boolean;
  /** The adapter registered for a completed run. */
  readonly artifactId: string | null;
}

export interface FinalizeDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly dataDir: string;
  readonly events: EventBus;
  readonly now: Clock;
  /** Called once the row is final (cost record, notification); errors are logged, not thrown. */
  readonly onFinished?: (end: JobEnd) => Promise<void> | void;
}

/** Apply a run's end: row, timeline, adapter, then the onFinished hook and events. Returns the updated row. */
export async function finalizeJob(
  deps: FinalizeDeps,
  jobId: string,
  facts: Omit<ExitFacts, 'terminal'>,
): Promise<TrainingJobRow | undefined> {
  const jobs = new TrainingJobsRepository(deps.db, deps.sqlite, deps.now);
  const job = jobs.get(jobId);
  if (!job) return undefined;
  const runDir = join(deps.dataDir, job.runDir);
  const timeline = await readTimeline(runDir);
  const terminal = terminalEntry(timeline);
  let decision = decideOutcome({ ...facts, terminal });
  let step = terminal?.kind === 'done' && terminal.step !== null ? terminal.step : job.step;

  let artifactProblem: string | null = null;
  let artifactId: string | null = null;
  if (decision.status === 'completed') {
    const adapterPath = terminal?.kind === 'done' ? terminal.adapterPath : null;
    const registered = await registerAdapter(deps, job, adapterPath, step);
    artifactProblem = registered.problem;
    artifactId = registered.artifact?.id ?? null;
    if (artifactProblem) decision = { status: 'failed', reason: artifactProblem };
    else deps.events.emit('changed', { entity: 'models', id: registered.artifact?.id ?? null });
  }

  let error: string | null = null;
  if (decision.status === 'failed' || decision.status === 'interrupted') {
    const tail = await readLogTail(join(runDir, 'stderr.log'), { tailLines: STDERR_TAIL_LINES });
    error =
      tail.lines.length > 0
        ? `${decision.reason}\n\nstderr (last lines):\n${tail.lines.join('\n')}`
        : decision.reason;
  }
  const lastCheckpoint = checkpointsOf(timeline).at(-1) ?? null;
  if (decision.status === 'cancelled') step = Math.max(step, lastCheckpoint?.step ?? 0);
  const note =
    decision.status === 'completed'
      ? `finished at step ${step}`
      : decision.status === 'cancelled'
        ? `stopped at step ${step}; ${lastCheckpoint ? `last checkpoint ${lastCheckpoint.path}` : 'no checkpoint'}`
        : decision.reason;
  const finishedAt = deps.now();
  await appendTimeline(runDir, [{ kind: 'status', at: finishedAt, status: decision.status, note }]);
  const updated = jobs.finish(jobId, {
    status: decision.status,
    step,
    progress: decision.status === 'completed' ? 1 : job.progress,
    exitCode: facts.exitKnown ? facts.exitCode : null,
    exitSignal: facts.exitKnown ? facts.signal : null,
    error,
    finishedAt,
  });

  if (updated) {
    try {
      await deps.onFinished?.({
        job: updated,
        status: decision.status,
        reason: decision.reason,
        note,
        oom: decision.status === 'failed' && terminal?.kind === 'error' && terminal.oom,
        artifactId,
      });
    } catch (hookError) {
      // What follows a run's end (cost, notification) must never undo the end itself.
      console.error(`after job ${jobId} ended:`, hookError);
    }
  }
  deps.events.emit('changed', { entity: 'jobs', id: jobId });
  return updated;
}
