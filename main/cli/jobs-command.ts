import { resolve } from 'node:path';
import {
  type JobDetail,
  JobSettingsSchema,
  type JobSummary,
  PresetSchema,
  TrainingObjectiveSchema,
} from '../../preload/contract';
import { describeIssues } from '../api/api-router';
import { startPrimaryEndpoint } from '../server/primary-endpoint';
import { type CliContext, type CliCore, CliError, call, intFlag, usageError } from './cli-context';
import { CliExit } from './cli-error';
import { JOBS_EXPORT_USAGE, jobsExportCommand, jobsImportRunCommand } from './jobs-export-command';
import { jobsMetricsCommand } from './jobs-metrics-command';
import { waitForJob } from './wait-for-job';

export const JOBS_USAGE = [
  '  jobs create --dataset ID --model DIR [--preset fast|balanced|quality] [--method sft|dpo|orpo|kto]',
  '              [--set key=value …] [--gpus 0,1|cpu] [--name NAME] [--wait [--timeout SECONDS]]',
  '                                         Preflight and queue a fine-tune; --wait follows it to the end',
  '                                         (exit 1 unless it completes; Ctrl-C detaches from a running app,',
  '                                         or cancels the run when this terminal is the one running it)',
  '  jobs list | show ID | cancel ID | resume ID | retry ID',
  '  jobs logs ID [--stream stdout|stderr|events] [--tail N]',
  JOBS_EXPORT_USAGE,
  '  jobs metrics ID [--csv] [--out FILE]   Metric series summary, or every point as CSV',
  '  estimate --model DIR [--seq N] [--batch N] [--rank N] [--qlora]   VRAM a run needs per GPU',
].join('\n');

/** `--set key=value` pairs as job settings: values are JSON where they parse, else strings. */
export function parseSetFlags(pairs: ReadonlyArray<string>, usage: string): Record<string, unknown> {
  // A null-prototype record: `--set __proto__=…` is a key like any other (and refused below).
  const settings: Record<string, unknown> = Object.create(null);
  const known = Object.keys(JobSettingsSchema.shape);
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--set takes key=value, got "${pair}"`, usage);
    const key = pair.slice(0, eq);
    if (!known.includes(key)) {
      throw new CliError({
        code: 'BAD_INPUT',
        message: `Unknown --set key "${key}". Known keys: ${known.join(', ')}.`,
      });
    }
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string, as typed
    }
    settings[key] = value;
  }
  const parsed = JobSettingsSchema.safeParse({ ...settings });
  if (!parsed.success) {
    throw new CliError({ code: 'BAD_INPUT', message: `Invalid --set: ${describeIssues(parsed.error)}` });
  }
  return parsed.data;
}

/** `jobs show` for a person: the facts that matter, then the timeline. */
function jobText(j: JobDetail): string {
  const when = (t: number | null) => (t === null ? '—' : new Date(t).toISOString());
  return [
    `${j.id}  ${j.name}`,
    `Status:   ${j.status}${j.error ? ` (${j.error})` : ''}`,
    `Progress: step ${j.step}${j.maxSteps ? ` of ${j.maxSteps}` : ''}${j.lastLoss !== null ? `, loss ${j.lastLoss.toFixed(4)}` : ''}`,
    `Model:    ${j.baseModelPath}`,
    `Dataset:  ${j.datasetVersionId ?? '—'}`,
    `Device:   ${j.gpuIndices.length > 0 ? `GPU ${j.gpuIndices.join(', ')}` : 'CPU'}`,
    `Run:      ${j.runDir}`,
    `Created ${when(j.createdAt)} · started ${when(j.startedAt)} · finished ${when(j.finishedAt)}`,
    ...j.timeline.map((t) => `  ${when(t.at)}  ${t.status}${t.note ? `  ${t.note}` : ''}`),
  ].join('\n');
}

function summaryLine(j: JobSummary): string {
  const steps = j.maxSteps ? `${j.step}/${j.maxSteps}` : `${j.step}`;
  return `${j.id}  ${j.status.padEnd(11)} ${steps.padStart(11)}  ${j.name}${j.error ? `  (${j.error})` : ''}`;
}

/** `jobs …`: create, list, show, cancel, resume, retry, logs. */
export async function jobsCommand(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  const [sub, id] = ctx.args;
  const needId = () => {
    if (!id) throw usageError(`jobs ${sub} needs a job ID`, usage);
    return id;
  };
  switch (sub) {
    case 'create':
      return createJob(ctx, usage);
    case 'list':
    case undefined:
      return ctx.withCore(async (core) => {
        const jobs = await call(core, 'jobs.list', {});
        ctx.print(jobs, () => (jobs.length === 0 ? 'No jobs.' : jobs.map(summaryLine).join('\n')));
      });
    case 'show': {
      const jobId = needId();
      return ctx.withCore(async (core) => {
        const job = await call(core, 'jobs.get', { id: jobId });
        ctx.print(job, () => jobText(job));
      });
    }
    case 'cancel':
    case 'resume':
    case 'retry': {
      const channel = `jobs.${sub}` as const;
      const jobId = needId();
      return ctx.withCore(async (core) => {
        const job = await call(core, channel, { id: jobId });
        ctx.print({ id: job.id, status: job.status }, () => summaryLine(job));
      });
    }
    case 'logs': {
      const stream = flags.stream ?? 'stdout';
      if (stream !== 'stdout' && stream !== 'stderr' && stream !== 'events') {
        throw usageError('--stream must be stdout, stderr or events', usage);
      }
      const jobId = needId();
      const tailLines = intFlag('tail', flags.tail, usage);
      return ctx.withCore(async (core) => {
        const logs = await call(core, 'jobs.logs', { id: jobId, stream, tailLines });
        ctx.print(logs, () => logs.lines.join('\n'));
      });
    }
    case 'export':
      return jobsExportCommand(ctx, usage);
    case 'import-run':
      return jobsImportRunCommand(ctx, usage);
    case 'metrics':
      return jobsMetricsCommand(ctx, usage);
    default:
      throw usageError(`Unknown jobs command "${sub}"`, usage);
  }
}

/** The estimate counts GB of 1e9 bytes; GPU memory is shown in GiB (2^30), as nvidia-smi does. */
function gib(gb: number): number {
  return (gb * 1e9) / 2 ** 30;
}

/** `estimate --model DIR …`: the VRAM estimate of TRAINER.md §3. */
export function estimateCommand(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  if (!flags.model) throw usageError('estimate needs --model DIR', usage);
  const input = {
    modelPath: resolve(flags.model),
    seqLen: intFlag('seq', flags.seq, usage),
    batch: intFlag('batch', flags.batch, usage),
    rank: intFlag('rank', flags.rank, usage),
    qlora: flags.qlora,
  };
  return ctx.withCore(async (core) => {
    const estimate = await call(core, 'training.estimate', input);
    ctx.print(estimate, () =>
      [
        `About ${gib(estimate.totalGb).toFixed(1)} GiB per GPU`,
        ...Object.entries(estimate.parts).map(
          ([k, v]) => `  ${k.replace(/Gb$/, '').padEnd(12)} ${gib(v).toFixed(2)} GiB`,
        ),
        ...estimate.assumptions.map((a) => `  · ${a}`),
      ].join('\n'),
    );
  });
}

/** `--gpus 0,1` or `--gpus cpu` as the job request's fields. */
function gpuChoice(
  raw: string | undefined,
  usage: string,
): { readonly gpuIndices?: number[]; readonly device?: 'cpu' } {
  if (raw === undefined) return {};
  if (raw.trim().toLowerCase() === 'cpu') return { gpuIndices: [], device: 'cpu' };
  const indices = raw.split(',').map((g) => {
    const n = intFlag('gpus', g.trim(), usage);
    if (n === undefined || g.trim() === '')
      throw usageError(`--gpus takes GPU indices like 0,1 or "cpu"`, usage);
    return n;
  });
  return { gpuIndices: indices };
}

/** `--timeout SECONDS` (with --wait) in milliseconds. */
function timeoutMs(raw: string | undefined, wait: boolean, usage: string): number | undefined {
  if (raw === undefined) return undefined;
  if (!wait) throw usageError('--timeout only applies with --wait', usage);
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw usageError(`--timeout must be a positive number of seconds, got "${raw}"`, usage);
  }
  return seconds * 1000;
}

/** `jobs create`: every argument is checked before the data folder is touched. */
async function createJob(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  if (!flags.dataset || !flags.model) throw usageError('jobs create needs --dataset and --model', usage);
  const preset = flags.preset === undefined ? undefined : PresetSchema.safeParse(flags.preset);
  if (preset && !preset.success) throw usageError(`--preset must be fast, balanced or quality`, usage);
  const gpus = gpuChoice(flags.gpus, usage);
  const objective = flags.method === undefined ? undefined : TrainingObjectiveSchema.safeParse(flags.method);
  if (objective && !objective.success) throw usageError('--method must be sft, dpo, orpo or kto', usage);
  const settings = {
    ...parseSetFlags(flags.set ?? [], usage),
    ...(objective ? { objective: objective.data } : {}),
  };
  const timeout = timeoutMs(flags.timeout, flags.wait, usage);
  const request = {
    datasetVersionId: flags.dataset,
    modelPath: resolve(flags.model),
    preset: preset?.data,
    settings,
    ...gpus,
    name: flags.name,
  };
  // With no app running, --wait makes this process the primary: it runs the queue and answers
  // other terminals (jobs cancel, show…) on its own command socket until the job ends.
  return ctx.withCore(
    async (core) => {
      const endpoint =
        flags.wait && core.remote === null && core.info.isPrimary
          ? await startPrimaryEndpoint({ core, dataDir: ctx.dataDir, shell: 'cli' })
          : null;
      try {
        const job = await call(core, 'jobs.create', request);
        if (!flags.wait) {
          ctx.print({ id: job.id, status: job.status }, () =>
            core.remote !== null
              ? `Queued ${job.id}: LoRA Studio (${core.remote.shell}, pid ${core.remote.pid}) runs it. Follow it with \`lora-studio jobs show ${job.id}\`.`
              : `Queued ${job.id}. It starts when its GPUs are free and LoRA Studio (app, serve, or \`jobs create --wait\`) is running.`,
          );
          return;
        }
        await followJob(ctx, core, job.id, timeout);
      } finally {
        await endpoint?.close();
      }
    },
    flags.wait ? { training: true, telemetry: true } : {},
  );
}

/** `--wait`: follow the job to its end; exit 0 only when it completed. */
async function followJob(
  ctx: CliContext,
  core: CliCore,
  id: string,
  timeout: number | undefined,
): Promise<void> {
  const { flags } = ctx;
  const ownsRun = core.remote === null;
  const outcome = await waitForJob(core, id, { json: flags.json, timeoutMs: timeout });
  switch (outcome.kind) {
    case 'ended': {
      const done = outcome.job;
      ctx.print({ id: done.id, status: done.status, step: done.step, error: done.error }, () =>
        summaryLine(done),
      );
      if (done.status !== 'completed') throw new CliExit(1);
      return;
    }
    case 'lost':
      throw new CliError({
        code: 'UNAVAILABLE',
        message: `Lost the connection to LoRA Studio (pid ${core.remote?.pid}) while job ${id} was running: \`lora-studio jobs show ${id}\` tells where it stands.`,
      });
    case 'timeout':
    case 'interrupted': {
      const why = outcome.kind === 'timeout' ? `Stopped waiting after ${flags.timeout} s` : 'Interrupted';
      const code = outcome.kind === 'timeout' ? 'TIMEOUT' : 'INTERRUPTED';
      const exitCode = outcome.kind === 'timeout' ? 1 : 130;
      if (!ownsRun) {
        throw new CliError(
          {
            code,
            message: `${why}: job ${id} goes on in LoRA Studio (${core.remote?.shell}, pid ${core.remote?.pid}). Follow it: lora-studio jobs show ${id} · cancel it: lora-studio jobs cancel ${id}`,
          },
          exitCode,
        );
      }
      // This process runs the trainer and nothing else would carry the run on: cancel it cleanly
      // (the trainer checkpoints) rather than leave it orphaned. A second Ctrl-C does not cut that short.
      if (!flags.json) process.stderr.write(`${why}: cancelling job ${id} (this terminal was running it)…\n`);
      const holdOn = (): void => {
        process.stderr.write('Still cancelling: the trainer is saving a checkpoint.\n');
      };
      process.on('SIGINT', holdOn);
      try {
        await call(core, 'jobs.cancel', { id });
        const settled = await waitForJob(core, id, { json: true, signals: false });
        const status = settled.kind === 'ended' ? settled.job.status : 'unknown';
        throw new CliError(
          {
            code,
            message: `${why}: job ${id} was cancelled (status ${status}), since no LoRA Studio app was running to carry it on. Resume it later: lora-studio jobs resume ${id}`,
          },
          exitCode,
        );
      } finally {
        process.off('SIGINT', holdOn);
      }
    }
  }
}
