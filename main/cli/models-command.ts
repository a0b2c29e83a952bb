import type { EventPayload, ModelArtifact } from '../../preload/contract';
import { type CliContext, CliError, call, usageError } from './cli-context';

const DTYPES = ['bf16', 'fp16', 'fp32'] as const;

export const MODELS_USAGE = [
  '  models list                            The adapters in the model library',
  '  models show ID                         Files, sha256, lineage, config and metrics of one',
  '  models export ID --out DIR             Copy its folder to DIR (new or empty)',
  '  models export ID --ollama [--name N]   Write an Ollama Modelfile; prints the `ollama create` command',
  '  models merge ID [--dtype bf16|fp16|fp32]  Merge an adapter into its base model (a full HF folder)',
  '  models promote JOB STEP                Add a checkpoint of a job to the library',
  '  models delete ID [--delete-files]      Remove it from the library (its files only with --delete-files)',
].join('\n');

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

function line(m: ModelArtifact): string {
  const from = m.checkpointStep === null ? '' : ` (checkpoint ${m.checkpointStep})`;
  return `${m.id}  ${m.kind}  ${m.name}${from}  ${mib(m.sizeBytes)}  ${m.path}`;
}

/** `models list|show|export|delete`. */
export function modelsCommand(ctx: CliContext, usage: string): Promise<void> {
  const [sub, id] = ctx.args;
  const needId = () => {
    if (!id) throw usageError(`models ${sub} needs an artifact ID (see models list)`, usage);
    return id;
  };
  switch (sub) {
    case undefined:
    case 'list':
      return ctx.withCore(async (core) => {
        const models = await call(core, 'models.list', {});
        ctx.print(models, () => (models.length === 0 ? 'No adapters yet.' : models.map(line).join('\n')));
      });
    case 'show': {
      const artifactId = needId();
      return ctx.withCore(async (core) => {
        const m = await call(core, 'models.get', { id: artifactId });
        ctx.print(m, () =>
          [
            line(m),
            `sha256     ${m.sha256 ?? '–'} (${m.weightsFile ?? 'no weights file'})`,
            `lineage    ${m.datasetLabel ?? 'no dataset'} → job ${m.jobId ?? '–'} (${m.jobName ?? 'deleted'}) → ${m.id}`,
            `base       ${m.baseModelPath ?? '–'} (config sha256 ${m.baseModelConfigHash ?? '–'})`,
            `loss       final ${m.metrics.finalLoss ?? '–'}, best ${m.metrics.bestLoss ?? '–'}; eval final ${m.metrics.finalEvalLoss ?? '–'}, best ${m.metrics.bestEvalLoss ?? '–'}`,
            `files      ${m.files.map((f) => f.name).join(', ')}${m.present ? '' : ' (folder missing)'}`,
          ].join('\n'),
        );
      });
    }
    case 'export': {
      const artifactId = needId();
      const { out, ollama, name } = ctx.flags;
      if ((out === undefined) === !ollama)
        throw usageError('models export needs either --out DIR or --ollama', usage);
      return ctx.withCore(async (core) => {
        if (ollama) {
          const result = await call(core, 'models.exportOllama', {
            id: artifactId,
            ...(name ? { name } : {}),
          });
          ctx.print(result, () =>
            [`Wrote ${result.modelfilePath}`, '', `  ${result.command}`, '', ...result.notes].join('\n'),
          );
          return;
        }
        const copied = await call(core, 'models.copy', { id: artifactId, to: out as string });
        ctx.print(copied, () => `Copied ${copied.files} files (${mib(copied.bytes)}) to ${copied.path}`);
      });
    }
    case 'merge': {
      const artifactId = needId();
      const dtype = ctx.flags.dtype ?? 'bf16';
      if (!(DTYPES as ReadonlyArray<string>).includes(dtype)) {
        throw usageError(`--dtype must be one of ${DTYPES.join(', ')}, got "${dtype}"`, usage);
      }
      return ctx.withCore(async (core) => {
        let taskId: string | null = null;
        const ended = new Promise<EventPayload<'task'>>((resolve) => {
          const off = core.events.subscribe((e) => {
            if (
              e.name === 'progress' &&
              e.payload.taskId === taskId &&
              !ctx.flags.json &&
              e.payload.message
            ) {
              process.stderr.write(`${e.payload.message}\n`);
            }
            if (e.name === 'task' && e.payload.taskId === taskId) {
              off();
              resolve(e.payload);
            }
          });
        });
        taskId = (
          await call(core, 'models.merge', { id: artifactId, dtype: dtype as (typeof DTYPES)[number] })
        ).taskId;
        const end = await ended;
        if (end.state !== 'completed' || end.resultId === null) {
          throw new CliError(end.error ?? { code: 'INTERNAL', message: `The merge ended ${end.state}.` });
        }
        const merged = await call(core, 'models.get', { id: end.resultId });
        ctx.print(merged, () => `Merged into ${merged.path} (${mib(merged.sizeBytes)}) as ${merged.id}`);
      });
    }
    case 'promote': {
      const [, jobId, stepText] = ctx.args;
      const step = Number(stepText);
      if (!jobId || !Number.isInteger(step) || step < 0) {
        throw usageError(
          'models promote needs a job ID and a checkpoint step, e.g. models promote job_… 500',
          usage,
        );
      }
      return ctx.withCore(async (core) => {
        const artifact = await call(core, 'models.promote', { jobId, step });
        ctx.print(artifact, () => line(artifact));
      });
    }
    case 'delete': {
      const artifactId = needId();
      return ctx.withCore(async (core) => {
        const result = await call(core, 'models.delete', {
          id: artifactId,
          deleteFiles: ctx.flags['delete-files'],
        });
        ctx.print(result, () =>
          result.filesRemoved
            ? `Deleted ${artifactId} and its files.`
            : `Removed ${artifactId} from the library; its files stay on disk.`,
        );
      });
    }
    default:
      throw usageError(`Unknown models command "${sub}"`, usage);
  }
}
