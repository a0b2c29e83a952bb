/**
 * The training facade the core wires to the `jobs.*` channels: preflight and queue a job, run the
 * queue, supervise each trainer process, and reconcile after a restart (re-attach to live runs,
 * finish or interrupt the others). Trainers outlive the app: close() stops watching, never kills.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { type Clock, newId } from '../../db/ids';
import type { Db, SqliteDatabase } from '../../db/open';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { type JobMetrics, MetricsRepository } from '../../db/repositories/metrics-repository';
import { type TrainingJobRow, TrainingJobsRepository } from '../../db/repositories/training-jobs-repository';
import type {
  JobDetail,
  JobRequest,
  JobSettings,
  JobSummary,
  PreflightResult,
  TrainerConfig,
} from '../../preload/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';
import { BAD_LINES_METRIC } from './event-ingestor';
import type { JobEnd } from './job-outcome';
import { gpuIndicesOf, JobQueue } from './job-queue';
import { ACTIVE_JOB_STATUSES, RESUMABLE_JOB_STATUSES } from './job-state';
import { JobSupervisor, type JobSupervisorDeps, type TrainerCommand } from './job-supervisor';
import { configOf, toJobDetail, toJobSummary } from './job-views';
import { readLogTail } from './log-tail';
import { isSameProcess, signalGroup } from './process-info';
import { createRunFolder, prepareResume } from './run-folder';
import { appendTimeline, readTimeline } from './run-timeline';
import { trainerEnv } from './trainer-command';

export interface TrainingServiceDeps {
  readonly dataDir: string;
  readonly db: Db;
  readonly sqlite: SqliteDatabase;
  readonly events: EventBus;
  readonly now?: Clock;
  /** The trainer to run for a job (setting / LORA_STUDIO_TRAINER / `<python> -m lora_trainer`). */
  readonly trainerCommand: (job: { readonly gpuIndices: ReadonlyArray<number> }) => Promise<TrainerCommand>;
  readonly preflight: (req: JobRequest) => Promise<PreflightResult>;
  /** True when this core holds the data-folder lock: only then does it run and supervise jobs. */
  readonly isPrimary: boolean;
  /** After a run's end is recorded: its cost record and notification (main/costs, main/notify). */
  readonly onFinished?: (end: JobEnd) => Promise<void> | void;
  /** Why queued jobs must wait (a spent budget); null when they may start. Asked at each queue pass. */
  readonly queueHoldReason?: () => string | null;
  /** SIGTERM → SIGKILL grace on cancel (default 30 s). */
  readonly graceMs?: number;
  readonly pollMs?: number;
  /** Base environment of trainer processes (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Let trainers reach the Hugging Face Hub (default: offline). */
  readonly allowDownloads?: () => boolean;
  /** Library versions from `<trainer> doctor`, recorded with each job. */
  readonly doctorVersions?: () => Promise<Record<string, unknown> | null>;
  readonly appVersion?: string;
}

export type LogStream = 'stdout' | 'stderr' | 'events';
const LOG_FILES: Readonly<Record<LogStream, string>> = {
  stdout: 'stdout.log',
  stderr: 'stderr.log',
  events: 'events.jsonl',
};
const RESUMABLE: ReadonlySet<string> = new Set(RESUMABLE_JOB_STATUSES);

async function sha256OfFile(file: string): Promise<string | null> {
  try {
    return createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
  } catch {
    return null;
  }
}

/** Jobs: create, list, inspect, cancel, resume, retry, logs and metrics; the queue and supervisors. */
export class TrainingService {
  private readonly now: Clock;
  private readonly jobs: TrainingJobsRepository;
  private readonly queue: JobQueue;
  private readonly supervisors = new Map<string, JobSupervisor>();
  private readonly cancelWhileLaunching = new Set<string>();
  private readonly supervisorDeps: JobSupervisorDeps;
  private readonly metricPoints: MetricsRepository;
  private closed = false;

  constructor(private readonly deps: TrainingServiceDeps) {
    this.now = deps.now ?? Date.now;
    this.jobs = new TrainingJobsRepository(deps.db, deps.sqlite, this.now);
    this.queue = new JobQueue({
      jobs: this.jobs,
      isPrimary: deps.isPrimary,
      launch: (job) => this.launch(job),
      holdReason: deps.queueHoldReason,
    });
    // A raised budget or "hold the queue" turned off lets held jobs start at once.
    deps.events.subscribe((event) => {
      if (event.name === 'changed' && event.payload.entity === 'settings') void this.queue.kick();
    });
    this.supervisorDeps = {
      db: deps.db,
      sqlite: deps.sqlite,
      dataDir: deps.dataDir,
      events: deps.events,
      now: this.now,
      onFinished: deps.onFinished,
      graceMs: deps.graceMs ?? 30_000,
      pollMs: deps.pollMs,
    };
    this.metricPoints = new MetricsRepository(deps.db, deps.sqlite, this.now);
  }

  /** Reconcile jobs left by a previous run (re-attach or finish them), then run the queue. */
  async start(): Promise<void> {
    if (!this.deps.isPrimary) return;
    for (const job of this.jobs.byStatus(['starting', 'running'])) {
      if (this.supervisors.has(job.id)) continue;
      if (job.pid !== null && (await isSameProcess(job.pid, job.processStartTime))) {
        this.track(JobSupervisor.reattach(this.supervisorDeps, job));
        this.deps.events.emit('changed', { entity: 'jobs', id: job.id });
      } else {
        await JobSupervisor.settleDead(this.supervisorDeps, job);
      }
    }
    await this.queue.kick();
  }

  /** Stop supervising; running trainers keep running and are re-attached by the next start(). */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue.close();
    await Promise.all([...this.supervisors.values()].map((s) => s.detach()));
    this.supervisors.clear();
  }

  /**
   * Preflight a request, record what makes it reproducible, create its run folder and queue it;
   * `note` (e.g. the dataset was frozen for this job) goes on the timeline's first entry.
   */
  async create(req: JobRequest, options: { readonly note?: string } = {}): Promise<JobSummary> {
    const preflight = await this.deps.preflight(req);
    if (!preflight.ok || !preflight.config || !preflight.devices) {
      const failed = preflight.checks.filter((c) => c.verdict === 'fail');
      const why = failed.length > 0 ? failed.map((c) => `${c.label}: ${c.detail}`).join('; ') : 'no config';
      throw new AppError('BAD_INPUT', `Preflight failed: ${why}`, { checks: preflight.checks });
    }
    const datasets = new DatasetsRepository(this.deps.db, this.now);
    const version = datasets.getVersion(req.datasetVersionId);
    if (!version || version.deletedAt !== null) {
      throw new AppError('NOT_FOUND', `There is no dataset version ${req.datasetVersionId}.`);
    }
    const dataset = datasets.get(version.datasetId);
    const config: TrainerConfig = { ...preflight.config, resume_from_checkpoint: null };
    const ts = this.now();
    const id = newId('job', ts);
    const folder = await createRunFolder({
      dataDir: this.deps.dataDir,
      jobId: id,
      config,
      versionFile: join(this.deps.dataDir, version.filePath),
      expectedSha256: version.sha256,
    }).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      throw new AppError('CONFLICT', `Could not prepare the run folder: ${message}`);
    });
    // Decided by preflight from a fresh look at the GPUs, never from a possibly empty live sample.
    const devices = preflight.devices;
    const reproducibility = {
      request: req,
      datasetVersionId: version.id,
      datasetSha256: version.sha256,
      datasetRows: { train: folder.trainRows, val: folder.valRows },
      modelConfigHash: await sha256OfFile(join(req.modelPath, 'config.json')),
      config,
      seed: config.seed,
      doctor: (await this.deps.doctorVersions?.().catch(() => null)) ?? null,
      appVersion: this.deps.appVersion ?? null,
      vramEstimateGb: preflight.estimate?.totalGb ?? null,
      devices,
    };
    const datasetName = `${dataset?.name ?? 'dataset'} v${version.version}`;
    const name = req.name ?? `${basename(req.modelPath)} · ${datasetName}`;
    const queuedNote = [options.note, devices.note].filter((n) => n !== undefined && n !== null).join('; ');
    await appendTimeline(folder.absDir, [
      { kind: 'status', at: ts, status: 'queued', note: queuedNote === '' ? null : queuedNote },
    ]);
    this.jobs.insertQueued({
      id,
      name,
      datasetVersionId: version.id,
      baseModelPath: req.modelPath,
      configJson: JSON.stringify(config),
      reproducibilityJson: JSON.stringify(reproducibility),
      gpuIndices: devices.gpuIndices,
      runDir: folder.runDir,
      queuedAt: ts,
    });
    this.deps.events.emit('changed', { entity: 'jobs', id });
    void this.queue.kick();
    return this.summary(this.mustGet(id));
  }

  /** GPUs that our queued, starting or running jobs hold. */
  gpusInUse(): number[] {
    const held = this.jobs.byStatus(ACTIVE_JOB_STATUSES).flatMap((row) => gpuIndicesOf(row));
    return [...new Set(held)].sort((a, b) => a - b);
  }

  list(): JobSummary[] {
    return this.jobs.list().map((row) => this.summary(row));
  }

  async get(id: string): Promise<JobDetail> {
    const row = this.mustGet(id);
    return toJobDetail(row, {
      dataDir: this.deps.dataDir,
      lastLoss: this.lastLoss(id),
      badEventLines: this.badLines(id),
      timeline: await readTimeline(join(this.deps.dataDir, row.runDir)),
    });
  }

  /** Cancel a job: a queued one at once; a running one through its trainer (checkpoint, exit 3). */
  async cancel(id: string): Promise<JobSummary> {
    const row = this.mustGet(id);
    switch (row.status) {
      case 'queued': {
        const ts = this.now();
        if (!this.jobs.cancelQueued(id, ts)) return this.cancel(id); // started meanwhile
        await appendTimeline(join(this.deps.dataDir, row.runDir), [
          { kind: 'status', at: ts, status: 'cancelled', note: 'cancelled while queued' },
        ]);
        this.deps.events.emit('changed', { entity: 'jobs', id });
        break;
      }
      case 'starting':
      case 'running': {
        const supervisor = this.supervisors.get(id);
        if (supervisor) await supervisor.cancel();
        else if (row.pid === null && this.deps.isPrimary && !this.closed) this.cancelWhileLaunching.add(id);
        else await this.cancelForeign(row);
        break;
      }
      default:
        throw new AppError('CONFLICT', `Job ${id} is already ${row.status}.`);
    }
    return this.summary(this.mustGet(id));
  }

  /** A job run by another core: ask its trainer to stop; that core records the outcome. */
  private async cancelForeign(row: TrainingJobRow): Promise<void> {
    await writeFile(join(this.deps.dataDir, row.runDir, 'cancel'), `${new Date(this.now()).toISOString()}\n`);
    if (row.pid !== null && (await isSameProcess(row.pid, row.processStartTime)))
      signalGroup(row.pid, 'SIGTERM');
  }

  /** Continue an interrupted, failed or cancelled job from its last checkpoint, in the same run folder. */
  async resume(id: string): Promise<JobSummary> {
    const row = this.mustGet(id);
    if (!RESUMABLE.has(row.status) || this.supervisors.has(id)) {
      throw new AppError(
        'CONFLICT',
        `Job ${id} is ${row.status}; only interrupted, failed or cancelled jobs resume.`,
      );
    }
    const absDir = join(this.deps.dataDir, row.runDir);
    const config = await prepareResume(absDir, configOf(row));
    const ts = this.now();
    await appendTimeline(absDir, [
      { kind: 'status', at: ts, status: 'queued', note: 'resume from the last checkpoint' },
    ]);
    this.jobs.requeueForResume(id, JSON.stringify(config), ts);
    this.deps.events.emit('changed', { entity: 'jobs', id });
    void this.queue.kick();
    return this.summary(this.mustGet(id));
  }

  /** A new job with the same request, from the start (preflight runs again). */
  async retry(id: string): Promise<JobSummary> {
    const row = this.mustGet(id);
    if (row.status === 'queued' || row.status === 'starting' || row.status === 'running') {
      throw new AppError('CONFLICT', `Job ${id} is still ${row.status}.`);
    }
    const stored = JSON.parse(row.reproducibilityJson) as { request?: JobRequest };
    const { base_model: _base, resume_from_checkpoint: _resume, ...settings } = configOf(row);
    const request: JobRequest = stored.request ?? {
      datasetVersionId: row.datasetVersionId ?? '',
      modelPath: row.baseModelPath,
      settings: settings as JobSettings,
      gpuIndices: gpuIndicesOf(row),
    };
    return this.create({ ...request, name: `${row.name} (retry)`.slice(0, 200) });
  }

  /** The last lines of a run's stdout, stderr or events file, optionally only those matching a text. */
  async logs(input: {
    readonly id: string;
    readonly stream: LogStream;
    readonly tailLines?: number;
    readonly search?: string;
  }): Promise<{ lines: string[]; truncated: boolean }> {
    const row = this.mustGet(input.id);
    return readLogTail(join(this.deps.dataDir, row.runDir, LOG_FILES[input.stream]), {
      tailLines: input.tailLines ?? 200,
      search: input.search || undefined,
    });
  }

  /** Metric series of a job by name (all of them when no names are given), in step order. */
  metrics(input: { readonly id: string; readonly names?: ReadonlyArray<string> }): JobMetrics {
    this.mustGet(input.id);
    return this.metricPoints.publicSeries(input.id, input.names);
  }

  /** Claim a queued job and spawn its trainer (called by the queue). */
  private async launch(queued: TrainingJobRow): Promise<void> {
    if (this.closed) return;
    if (!this.jobs.claimForStart(queued.id)) return;
    const job = this.mustGet(queued.id);
    this.deps.events.emit('changed', { entity: 'jobs', id: job.id });
    const gpuIndices = gpuIndicesOf(job);
    let command: TrainerCommand;
    try {
      command = await this.deps.trainerCommand({ gpuIndices });
    } catch (error) {
      this.track(await JobSupervisor.launchFailed(this.supervisorDeps, job, error));
      return;
    }
    const env = trainerEnv({
      base: this.deps.env ?? process.env,
      command,
      gpuIndices,
      allowDownloads: this.deps.allowDownloads?.() ?? false,
    });
    const supervisor = await JobSupervisor.launch(this.supervisorDeps, job, command, env);
    this.track(supervisor);
    if (this.cancelWhileLaunching.delete(job.id)) await supervisor.cancel();
  }

  private track(supervisor: JobSupervisor): void {
    this.supervisors.set(supervisor.jobId, supervisor);
    void supervisor.ended.then((end) => {
      if (this.supervisors.get(supervisor.jobId) === supervisor) this.supervisors.delete(supervisor.jobId);
      if (end.kind === 'settled' && !this.closed) void this.queue.kick();
    });
  }

  private mustGet(id: string): TrainingJobRow {
    const row = this.jobs.get(id);
    if (!row) throw new AppError('NOT_FOUND', `There is no job ${id}.`);
    return row;
  }

  private lastLoss(id: string): number | null {
    return this.metricPoints.lastValue(id, 'loss');
  }

  private badLines(id: string): number {
    return this.metricPoints.valueAt(id, BAD_LINES_METRIC, 0) ?? 0;
  }

  private summary(row: TrainingJobRow): JobSummary {
    return toJobSummary(row, this.lastLoss(row.id));
  }
}
