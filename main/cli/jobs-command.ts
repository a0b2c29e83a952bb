import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import {
  type JobDetail,
  JobSettingsSchema,
  type JobSummary,
  PresetSchema,
  TrainingObjectiveSchema,
} from '../../preload/contract';
import { describeIssues } from '../api/api-router';
import type { Core } from '../core';
import { type CliContext, CliError, call, intFlag, usageError } from './cli-context';

export const JOBS_USAGE = [
  '  jobs create --dataset ID --model DIR [--preset fast|balanced|quality] [--method sft|dpo|orpo|kto]',
  '              [--set key=value …]',
  '              [--gpus 0,1] [--name NAME] [--wait]   Preflight and queue a fine-tune (--wait: run it here)',
  '  jobs list | show ID | cancel ID | resume ID | retry ID',
  '  jobs logs ID [--stream stdout|stderr|events] [--tail N]',
  '  models list                            The adapters in the model library',
  '  estimate --model DIR [--seq N] [--batch N] [--rank N] [--qlora]   VRAM a run needs per GPU',
].join('\n');

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'interrupted']);

/** `--set key=value` pairs as job settings: values are JSON where they parse, else strings. */
export function parseSetFlags(pairs: ReadonlyArray<string>, usage: string): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usageError(`--set takes key=value, got "${pair}"`, usage);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // a plain string, as typed
    }
    settings[pair.slice(0, eq)] = value;
  }
  const parsed = JobSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new CliError({ code: 'BAD_INPUT', message: `Invalid --set: ${describeIssues(parsed.error)}` });
  }
  return parsed.data;
}

/** A dataset id means its newest frozen version; a version id is taken as it is. */
function resolveVersionId(core: Core, id: string): string {
  const repo = new DatasetsRepository(core.db);
  if (repo.getVersion(id)) return id;
  const dataset = repo.get(id);
  if (!dataset) throw new CliError({ code: 'NOT_FOUND', message: `No dataset or dataset version "${id}".` });
  const [latest] = repo.versions(id);
  if (!latest) {
    throw new CliError({
      code: 'BAD_INPUT',
      message: `Dataset "${dataset.name}" has no frozen version yet: freeze it first (a job trains on a frozen version).`,
    });
  }
  return latest.id;
}

function summaryLine(j: JobSummary): string {
  const steps = j.maxSteps ? `${j.step}/${j.maxSteps}` : `${j.step}`;
  return `${j.id}  ${j.status.padEnd(11)} ${steps.padStart(11)}  ${j.name}${j.error ? `  (${j.error})` : ''}`;
}

async function waitForJob(core: Core, id: string, json: boolean): Promise<JobDetail> {
  let last = '';
  const unsubscribe = core.events.subscribe((e) => {
    if (json || e.name !== 'job.progress' || e.payload.id !== id) return;
    const p = e.payload;
    const line = `${p.status} step ${p.step}${p.maxSteps ? `/${p.maxSteps}` : ''}${p.loss !== null ? ` loss ${p.loss.toFixed(4)}` : ''}`;
    if (line !== last) process.stderr.write(`${line}\n`);
    last = line;
  });
  try {
    for (;;) {
      const job = await call(core, 'jobs.get', { id });
      if (TERMINAL.has(job.status)) return job;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    unsubscribe();
  }
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
    case 'create': {
      if (!flags.dataset || !flags.model) throw usageError('jobs create needs --dataset and --model', usage);
      const preset = flags.preset === undefined ? undefined : PresetSchema.safeParse(flags.preset);
      if (preset && !preset.success) throw usageError(`--preset must be fast, balanced or quality`, usage);
      const gpuIndices = flags.gpus?.split(',').map((g) => intFlag('gpus', g.trim(), usage) as number);
      const objective =
        flags.method === undefined ? undefined : TrainingObjectiveSchema.safeParse(flags.method);
      if (objective && !objective.success) throw usageError('--method must be sft, dpo, orpo or kto', usage);
      const settings = {
        ...parseSetFlags(flags.set ?? [], usage),
        ...(objective ? { objective: objective.data } : {}),
      };
      // --wait runs the queue in this process (when no app holds the data folder) until the job ends.
      return ctx.withCore(
        async (core) => {
          const job = await call(core, 'jobs.create', {
            datasetVersionId: resolveVersionId(core, flags.dataset as string),
            modelPath: flags.model as string,
            preset: preset?.data,
            settings,
            gpuIndices,
            name: flags.name,
          });
          if (!flags.wait) {
            ctx.print(
              { id: job.id, status: job.status },
              () =>
                `Queued ${job.id}. It starts when its GPUs are free and LoRA Studio (app, serve, or \`jobs create --wait\`) is running.`,
            );
            return;
          }
          const done = await waitForJob(core, job.id, flags.json);
          ctx.print({ id: done.id, status: done.status, step: done.step, error: done.error }, () =>
            summaryLine(done),
          );
          if (done.status !== 'completed') process.exitCode = 1;
        },
        flags.wait ? { training: true, telemetry: true } : {},
      );
    }
    case 'list':
    case undefined:
      return ctx.withCore(async (core) => {
        const jobs = await call(core, 'jobs.list', {});
        ctx.print(jobs, () => (jobs.length === 0 ? 'No jobs.' : jobs.map(summaryLine).join('\n')));
      });
    case 'show':
      return ctx.withCore(async (core) => {
        const job = await call(core, 'jobs.get', { id: needId() });
        ctx.print(job, () => JSON.stringify(job, null, 2));
      });
    case 'cancel':
    case 'resume':
    case 'retry': {
      const channel = `jobs.${sub}` as const;
      return ctx.withCore(async (core) => {
        const job = await call(core, channel, { id: needId() });
        ctx.print({ id: job.id, status: job.status }, () => summaryLine(job));
      });
    }
    case 'logs': {
      const stream = flags.stream ?? 'stdout';
      if (stream !== 'stdout' && stream !== 'stderr' && stream !== 'events') {
        throw usageError('--stream must be stdout, stderr or events', usage);
      }
      return ctx.withCore(async (core) => {
        const logs = await call(core, 'jobs.logs', {
          id: needId(),
          stream,
          tailLines: intFlag('tail', flags.tail, usage),
        });
        ctx.print(logs, () => logs.lines.join('\n'));
      });
    }
    default:
      throw usageError(`Unknown jobs command "${sub}"`, usage);
  }
}

/** `models list`: the adapters in the library. */
export function modelsCommand(ctx: CliContext, usage: string): Promise<void> {
  const [sub] = ctx.args;
  if (sub !== 'list' && sub !== undefined) throw usageError(`Unknown models command "${sub}"`, usage);
  return ctx.withCore(async (core) => {
    const models = await call(core, 'models.list', {});
    ctx.print(models, () =>
      models.length === 0
        ? 'No adapters yet.'
        : models.map((m) => `${m.id}  ${m.kind}  ${m.name}  ${m.path}`).join('\n'),
    );
  });
}

/** `estimate --model DIR …`: the VRAM estimate of TRAINER.md §3. */
export function estimateCommand(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  if (!flags.model) throw usageError('estimate needs --model DIR', usage);
  return ctx.withCore(async (core) => {
    const estimate = await call(core, 'training.estimate', {
      modelPath: flags.model as string,
      seqLen: intFlag('seq', flags.seq, usage),
      batch: intFlag('batch', flags.batch, usage),
      rank: intFlag('rank', flags.rank, usage),
      qlora: flags.qlora,
    });
    ctx.print(estimate, () =>
      [
        `About ${estimate.totalGb.toFixed(1)} GB per GPU`,
        ...Object.entries(estimate.parts).map(
          ([k, v]) => `  ${k.replace(/Gb$/, '').padEnd(12)} ${v.toFixed(2)} GB`,
        ),
        ...estimate.assumptions.map((a) => `  · ${a}`),
      ].join('\n'),
    );
  });
}
