import type { ModelArtifact } from '../../preload/contract';
import { type CliContext, call, usageError } from './cli-context';

export const MODELS_USAGE = [
  '  models list                            The adapters in the model library',
  '  models show ID                         Files, sha256, lineage, config and metrics of one',
  '  models export ID --out DIR             Copy its folder to DIR (new or empty)',
  '  models export ID --ollama [--name N]   Write an Ollama Modelfile; prints the `ollama create` command',
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
