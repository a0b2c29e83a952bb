/**
 * Supervises one training process: spawned detached in its own process group (stdout/stderr go
 * straight to files in the run folder, never through Node's heap), or re-attached after an app
 * restart (then it is not our child, so its pid is polled). Events come from events.jsonl, tailed
 * by byte offset. Every way a run can end — exit, spawn failure, vanished pid — settles once; the
 * group is always killed after the leader exits, so no grandchild lingers.
 */
import { type ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../db/ids';
import type { Db, SqliteDatabase } from '../../db/open';
import { MetricsRepository } from '../../db/repositories/metrics-repository';
import { type TrainingJobRow, TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type { EventPayload, JobStatus } from '../../preload/contract';
import type { EventBus } from '../events/event-bus';
import { BAD_LINES_METRIC, EventIngestor, type IngestState } from './event-ingestor';
import { EventsTailer } from './events-tailer';
import { type ExitFacts, finalizeJob, type JobEnd } from './job-outcome';
import { JOB_ENV, signalJobProcesses } from './job-processes';
import { parseJobStatus } from './job-state';
import { isSameProcess, processStartTime, signalGroup } from './process-info';
import { ProgressThrottle } from './progress-throttle';
import { appendTimeline } from './run-timeline';

/** How to run the trainer: the program, its leading arguments, extra environment. */
export interface TrainerCommand {
  readonly command: string;
  readonly args: ReadonlyArray<string>;
  readonly env?: Readonly<NodeJS.ProcessEnv>;
}

export interface JobSupervisorDeps {
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly dataDir: string;
  readonly events: EventBus;
  readonly now: Clock;
  /** After a run's end is recorded: its cost record and notification (main/costs, main/notify). */
  readonly onFinished?: (end: JobEnd) => Promise<void> | void;
  /** Time between SIGTERM and SIGKILL on cancel. */
  readonly graceMs: number;
  /** Poll interval for events.jsonl and for a re-attached pid (default 250 ms). */
  readonly pollMs?: number;
  readonly spawn?: typeof nodeSpawn;
}

export type SupervisorEnd =
  | { readonly kind: 'settled'; readonly job: TrainingJobRow | undefined }
  | { readonly kind: 'detached' };

type LeaderExit = Omit<ExitFacts, 'terminal' | 'cancelRequested'>;

/**
 * The stored bad-line count, last loss and NaN streak of the job's attempt, so a re-attached
 * supervisor carries on from them (a NaN streak counts across an app restart).
 */
function storedFacts(
  deps: JobSupervisorDeps,
  job: TrainingJobRow,
  nanLimit: number,
): Pick<IngestState, 'badLines' | 'lastLoss' | 'nanStreak' | 'nanLimitStep'> {
  const metrics = new MetricsRepository(deps.db, deps.sqlite, deps.now);
  // The trainer logs a NaN loss as null, and never a log without a loss: a null loss is a NaN step.
  const nan = metrics.trailingNulls(job.id, 'loss', job.attempt, Math.max(1, nanLimit));
  return {
    badLines: metrics.valueAt(job.id, BAD_LINES_METRIC, 0) ?? 0,
    lastLoss: metrics.lastValue(job.id, 'loss'),
    nanStreak: nan.count,
    nanLimitStep: nanLimit > 0 && nan.count >= nanLimit ? nan.nthStep : null,
  };
}

/** The job's `stop_after_nan_steps` (0 when unset or unreadable: never stop for NaN). */
function nanLimitOf(configJson: string): number {
  try {
    const value = (JSON.parse(configJson) as { stop_after_nan_steps?: unknown }).stop_after_nan_steps;
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** One training process, from spawn or re-attach to its final status. */
export class JobSupervisor {
  readonly ended: Promise<SupervisorEnd>;
  private resolveEnded!: (end: SupervisorEnd) => void;
  private readonly runDir: string;
  private readonly tailer: EventsTailer;
  private readonly throttle: ProgressThrottle<EventPayload<'job.progress'>>;
  private ingestor: EventIngestor | null = null;
  private child: ChildProcess | null = null;
  private pid: number | null = null;
  private startTime: number | null = null;
  private exited = false;
  private settled = false;
  private cancelRequested = false;
  /** `stop_after_nan_steps` of the job's config (0: never stop for NaN). */
  private nanLimit = 0;
  /** Why the supervisor stopped the run itself (a NaN streak), reported as the failure. */
  private stopReason: string | null = null;
  private graceTimer: NodeJS.Timeout | null = null;
  private pidTimer: NodeJS.Timeout | null = null;
  private drainChain: Promise<void> = Promise.resolve();
  private drainQueued: Promise<void> | null = null;

  private constructor(
    private readonly deps: JobSupervisorDeps,
    readonly jobId: string,
    relRunDir: string,
  ) {
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.runDir = join(deps.dataDir, relRunDir);
    this.tailer = new EventsTailer({ file: join(this.runDir, 'events.jsonl'), pollMs: deps.pollMs });
    this.throttle = new ProgressThrottle((payload) => deps.events.emit('job.progress', payload));
  }

  /** Spawn the trainer for a job already claimed as `starting`. */
  static async launch(
    deps: JobSupervisorDeps,
    job: TrainingJobRow,
    command: TrainerCommand,
    env: NodeJS.ProcessEnv,
  ): Promise<JobSupervisor> {
    const sup = new JobSupervisor(deps, job.id, job.runDir);
    await sup.spawnTrainer(job, command, env);
    return sup;
  }

  /** Record a job whose trainer could not even be resolved as failed (settles at once). */
  static async launchFailed(
    deps: JobSupervisorDeps,
    job: TrainingJobRow,
    problem: unknown,
  ): Promise<JobSupervisor> {
    const sup = new JobSupervisor(deps, job.id, job.runDir);
    await appendTimeline(sup.runDir, [{ kind: 'status', at: deps.now(), status: 'starting', note: null }]);
    sup.attachIngestor(job);
    await sup.onLeaderExit(launchFailure(problem));
    return sup;
  }

  /** Watch a trainer left running by a previous app (the caller checked pid + start time). */
  static reattach(deps: JobSupervisorDeps, job: TrainingJobRow): JobSupervisor {
    const sup = new JobSupervisor(deps, job.id, job.runDir);
    sup.pid = job.pid;
    sup.startTime = job.processStartTime;
    sup.attachIngestor(job);
    sup.startTailing();
    sup.pushProgress();
    sup.stopOnNanStreak(); // the streak may have reached the limit just before the app went down
    const poll = async () => {
      sup.pidTimer = null;
      if (sup.settled || sup.pid === null) return;
      if (await isSameProcess(sup.pid, sup.startTime)) {
        if (!sup.settled) sup.pidTimer = setTimeout(poll, deps.pollMs ?? 250);
        return;
      }
      sup.exited = true;
      await sup.onLeaderExit({ exitKnown: false, exitCode: null, signal: null, unexplained: 'failed' });
    };
    sup.pidTimer = setTimeout(poll, 0);
    return sup;
  }

  /**
   * Finish a job whose process is gone, or whose pid now belongs to someone else: read what is left
   * of its events and decide from them. Nothing is signalled.
   */
  static async settleDead(deps: JobSupervisorDeps, job: TrainingJobRow): Promise<TrainingJobRow | undefined> {
    const sup = new JobSupervisor(deps, job.id, job.runDir);
    sup.attachIngestor(job);
    await sup.onLeaderExit({ exitKnown: false, exitCode: null, signal: null, unexplained: 'interrupted' });
    const end = await sup.ended;
    return end.kind === 'settled' ? end.job : undefined;
  }

  private attachIngestor(job: TrainingJobRow): void {
    this.nanLimit = nanLimitOf(job.configJson);
    const stored = storedFacts(this.deps, job, this.nanLimit);
    const state: IngestState = {
      status: parseJobStatus(job.id, job.status),
      offset: job.eventsOffset,
      lastSeq: job.lastSeq,
      step: job.step,
      maxSteps: job.maxSteps,
      etaSeconds: job.etaSeconds,
      ...stored,
    };
    this.ingestor = new EventIngestor(
      {
        db: this.deps.db,
        sqlite: this.deps.sqlite,
        jobId: job.id,
        attempt: job.attempt,
        runDir: this.runDir,
        now: this.deps.now,
        nanLimit: this.nanLimit,
      },
      state,
    );
  }

  private async spawnTrainer(
    job: TrainingJobRow,
    command: TrainerCommand,
    env: NodeJS.ProcessEnv,
  ): Promise<void> {
    const note = [command.command, ...command.args].join(' ');
    await appendTimeline(this.runDir, [{ kind: 'status', at: this.deps.now(), status: 'starting', note }]);
    this.attachIngestor(job);
    const out = openSync(join(this.runDir, 'stdout.log'), 'a');
    const err = openSync(join(this.runDir, 'stderr.log'), 'a');
    let child: ChildProcess;
    try {
      child = (this.deps.spawn ?? nodeSpawn)(
        command.command,
        [...command.args, 'train', '--run-dir', this.runDir],
        {
          cwd: this.runDir,
          detached: true,
          stdio: ['pipe', out, err],
          env: { ...env, [JOB_ENV]: job.id }, // finds torchrun's ranks, which leave our group
        },
      );
    } catch (error) {
      await this.onLeaderExit(launchFailure(error));
      return;
    } finally {
      closeSync(out);
      closeSync(err);
    }
    this.child = child;
    child.stdin?.on('error', () => undefined); // EPIPE once the trainer is gone: nothing to do
    child.on('error', (error) => {
      if (child.pid === undefined) void this.onLeaderExit(launchFailure(error));
    });
    if (child.pid === undefined) return; // 'error' follows
    this.pid = child.pid;
    const ready = (async () => {
      this.startTime = await processStartTime(child.pid as number);
      new TrainingJobsRepository(this.deps.db, this.deps.sqlite, this.deps.now).recordProcess(job.id, {
        pid: this.pid,
        processStartTime: this.startTime,
        startedAt: this.deps.now(),
      });
    })();
    child.once('exit', (code, signal) => {
      this.exited = true;
      void ready
        .catch(() => undefined) // recording the pid failed: the exit still settles the job
        .then(() => this.onLeaderExit({ exitKnown: true, exitCode: code, signal, unexplained: 'failed' }));
    });
    await ready;
    if (this.settled) return;
    this.startTailing();
    this.deps.events.emit('changed', { entity: 'jobs', id: this.jobId });
    this.pushProgress();
  }

  private startTailing(): void {
    if (this.settled) return;
    this.tailer.start(() => {
      void this.requestDrain();
    });
  }

  /** Read everything new in events.jsonl; concurrent requests coalesce into one pending run. */
  private requestDrain(): Promise<void> {
    if (!this.drainQueued) {
      const queued = this.drainChain.then(() => {
        this.drainQueued = null;
        return this.drainToEnd();
      });
      this.drainQueued = queued;
      this.drainChain = queued.catch((error) => {
        console.error(`reading events of job ${this.jobId} failed:`, error);
      });
    }
    return this.drainChain;
  }

  private async drainToEnd(): Promise<void> {
    const ingestor = this.ingestor;
    if (!ingestor) return;
    for (;;) {
      const read = await this.tailer.read(ingestor.state.offset);
      if (read.nextOffset === ingestor.state.offset && read.lines.length === 0 && read.invalid === 0) return;
      const result = await ingestor.apply(read);
      this.stopOnNanStreak();
      if (result.statusChanged) this.deps.events.emit('changed', { entity: 'jobs', id: this.jobId });
      if (result.events > 0 || result.statusChanged) this.pushProgress();
    }
  }

  /** Stop the run (as failed, with the reason) once the NaN streak has reached `stop_after_nan_steps`. */
  private stopOnNanStreak(): void {
    const at = this.ingestor?.state.nanLimitStep ?? null;
    if (this.nanLimit === 0 || at === null || this.stopReason !== null) return;
    this.stopReason = `the loss was NaN for ${this.nanLimit} consecutive logged steps (stop_after_nan_steps = ${this.nanLimit}); stopped at step ${at}`;
    void this.cancel();
  }

  private pushProgress(statusOverride?: JobStatus): void {
    const s = this.ingestor?.state;
    if (!s) return;
    this.throttle.push({
      id: this.jobId,
      status: statusOverride ?? s.status,
      step: s.step,
      maxSteps: s.maxSteps,
      progress: statusOverride === 'completed' ? 1 : (this.ingestor?.progress ?? 0),
      etaSeconds: s.etaSeconds,
      loss: s.lastLoss,
    });
  }

  private async onLeaderExit(exit: LeaderExit): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    // The leader is gone; anything left in its group (dataloader workers, torchrun ranks) goes too.
    if (this.pid !== null) signalGroup(this.pid, 'SIGKILL');
    await signalJobProcesses(this.jobId, 'SIGKILL').catch(() => 0);
    this.clearTimers();
    this.tailer.stopWatching();
    try {
      await this.requestDrain();
      await this.tailer.close();
      const job = await finalizeJob(this.deps, this.jobId, {
        ...exit,
        cancelRequested: this.cancelRequested,
        stopReason: this.stopReason,
      });
      if (job) this.pushProgress(job.status as JobStatus);
      this.resolveEnded({ kind: 'settled', job });
    } catch (error) {
      console.error(`finishing job ${this.jobId} failed:`, error);
      this.resolveEnded({ kind: 'settled', job: undefined });
    }
  }

  private clearTimers(): void {
    if (this.graceTimer) clearTimeout(this.graceTimer);
    if (this.pidTimer) clearTimeout(this.pidTimer);
    this.graceTimer = null;
    this.pidTimer = null;
  }

  /** Is the process we would signal still ours? (Our child until it exits; else pid + start time.) */
  private async stillOurs(): Promise<boolean> {
    if (this.pid === null || this.exited) return false;
    return this.child ? true : isSameProcess(this.pid, this.startTime);
  }

  /**
   * Ask the trainer to stop: the cancel file, `{"cmd":"cancel"}` on stdin, SIGTERM to the group;
   * SIGKILL to the group after the grace period. The trainer saves a checkpoint and exits 3.
   */
  async cancel(): Promise<void> {
    if (this.settled || this.cancelRequested) return;
    this.cancelRequested = true;
    await writeFile(join(this.runDir, 'cancel'), `${new Date(this.deps.now()).toISOString()}\n`).catch(
      () => undefined,
    );
    const status = this.ingestor?.state.status ?? 'running';
    await appendTimeline(this.runDir, [
      { kind: 'status', at: this.deps.now(), status, note: 'cancel requested' },
    ]);
    if (this.child?.stdin?.writable) this.child.stdin.write('{"cmd":"cancel"}\n');
    if (await this.stillOurs()) {
      signalGroup(this.pid as number, 'SIGTERM');
      await signalJobProcesses(this.jobId, 'SIGTERM').catch(() => 0);
    }
    if (this.settled) return;
    this.graceTimer = setTimeout(() => {
      this.graceTimer = null;
      void this.stillOurs().then((ours) => {
        if (!ours || this.settled) return;
        signalGroup(this.pid as number, 'SIGKILL');
        void signalJobProcesses(this.jobId, 'SIGKILL').catch(() => 0);
      });
    }, this.deps.graceMs);
  }

  /** Stop watching without touching the process: it keeps running and is re-attached next start. */
  async detach(): Promise<void> {
    if (this.settled) {
      await this.ended; // a run that is being finished completes its bookkeeping before the DB closes
      return;
    }
    this.settled = true;
    this.clearTimers();
    this.throttle.cancel();
    this.tailer.stopWatching();
    await this.drainChain;
    await this.tailer.close();
    if (this.child) {
      this.child.removeAllListeners('exit');
      this.child.unref();
      (this.child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
    }
    this.resolveEnded({ kind: 'detached' });
  }
}

function launchFailure(error: unknown): LeaderExit {
  const message = error instanceof Error ? error.message : String(error);
  return {
    exitKnown: true,
    exitCode: null,
    signal: null,
    unexplained: 'failed',
    launchError: `could not start the trainer: ${message}`,
  };
}
