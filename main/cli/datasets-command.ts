import { resolve } from 'node:path';
import {
  type DatasetDetail,
  DatasetFormatSchema,
  DatasetShapeSchema,
  type DatasetSummary,
} from '../../preload/contract';
import { rowLabel } from '../datasets/normalise/build-row';
import { awaitTask } from './await-task';
import { type CliContext, type CliCore, CliError, call, usageError } from './cli-context';

export const DATASETS_USAGE = [
  '  datasets import FILE [--name N] [--format jsonl|json|csv|tsv|parquet|txt] [--shape S]',
  '                                         Import a file (shape: chat, sharegpt, alpaca, prompt_completion, text)',
  '  datasets import --sample [--name N]    Import the sample chat dataset shipped with the app',
  '  datasets list | show ID | delete ID',
  '  datasets freeze ID [--note TEXT]       Write an immutable version (what training jobs use)',
  '  datasets dedupe ID [--apply]           Remove rows that repeat another row exactly (soft delete;',
  '                                         without --apply only counts them)',
  '  datasets export ID|VERSION_ID --out FILE [--shape canonical|original]',
].join('\n');

/** Invalid rows listed after `datasets import` (the rest are counted). */
const INVALID_ROWS_SHOWN = 5;

/** Duplicate groups listed by `datasets dedupe` (the preview samples up to 20). */
const DEDUPE_GROUPS_SHOWN = 10;

function line(d: DatasetSummary): string {
  return `${d.id}  ${d.shape.padEnd(17)} ${String(d.rows).padStart(9)} rows (${d.invalid} invalid)  v${d.versions}  ${d.name}`;
}

/** On stderr (so `--json` output stays one value): exact duplicate rows, and how to remove them. */
function warnDuplicates(duplicates: number, id: string): void {
  if (duplicates === 0) return;
  process.stderr.write(
    `Warning: ${duplicates.toLocaleString('en-US')} rows repeat another row exactly; they would be trained on as often as they appear. ` +
      `Remove them with: lora-studio datasets dedupe ${id} --apply\n`,
  );
}

/** `datasets show` for a person: counts, statistics and versions (JSON only with --json). */
function datasetText(d: DatasetDetail): string {
  return [
    `${d.id}  "${d.name}"  ${d.format} · ${d.shape}`,
    `Rows:     ${d.rows} (${d.valid} valid, ${d.invalid} invalid)`,
    `Source:   ${d.sourceName} (${d.sizeBytes} bytes)`,
    d.versionList.length === 0
      ? 'Versions: none yet (datasets freeze ID)'
      : `Versions: ${d.versionList.map((v) => `v${v.version} ${v.id} (${v.rows} rows)`).join(', ')}`,
  ].join('\n');
}

/** A dataset id means its newest version; a version id is taken as it is. */
async function versionIdOf(core: CliCore, id: string): Promise<string> {
  const list = await call(core, 'datasets.list', {});
  if (!list.some((d) => d.id === id)) return id;
  const detail = await call(core, 'datasets.get', { id });
  const newest = detail.versionList[0];
  if (!newest)
    throw new CliError({
      code: 'BAD_INPUT',
      message: `Dataset "${detail.name}" has no frozen version: run \`datasets freeze ${id}\` first.`,
    });
  return newest.id;
}

/** `datasets …`: import, list, show, delete, freeze, export. */
export async function datasetsCommand(ctx: CliContext, usage: string): Promise<void> {
  const { flags } = ctx;
  const [sub, given] = ctx.args;
  const needTarget = (what: string) => {
    if (!given) throw usageError(`datasets ${sub} needs ${what}`, usage);
    return given;
  };
  switch (sub) {
    case 'import': {
      if (flags.sample && given)
        throw usageError('datasets import takes either a FILE or --sample, not both', usage);
      if (flags.sample && (flags.format !== undefined || flags.shape !== undefined))
        throw usageError('--format and --shape do not apply to --sample', usage);
      const file = flags.sample ? null : resolve(needTarget('a FILE (or --sample)'));
      const format = flags.format === undefined ? undefined : DatasetFormatSchema.safeParse(flags.format);
      if (format && !format.success)
        throw usageError(`--format must be one of ${DatasetFormatSchema.options.join(', ')}`, usage);
      const shape = flags.shape === undefined ? undefined : DatasetShapeSchema.safeParse(flags.shape);
      if (shape && !shape.success)
        throw usageError(`--shape must be one of ${DatasetShapeSchema.options.join(', ')}`, usage);
      return ctx.withCore(async (core) => {
        let lastShown = 0;
        const outcome = await awaitTask(
          core,
          () =>
            file === null
              ? call(core, 'datasets.importSample', { name: flags.name })
              : call(core, 'datasets.import', {
                  path: file,
                  name: flags.name,
                  format: format?.data,
                  shape: shape?.data,
                }),
          (p) => {
            if (flags.json || Date.now() - lastShown < 500) return;
            lastShown = Date.now();
            process.stderr.write(`\r${p.message ?? `${p.done} rows`}   `);
          },
        );
        if (!flags.json && lastShown > 0) process.stderr.write('\n');
        if (outcome.state !== 'completed' || outcome.resultId === null) {
          throw new CliError(
            outcome.error ?? { code: 'INTERNAL', message: `The import was ${outcome.state}.` },
          );
        }
        // The core computed the statistics before it reported the import as done.
        const summary = await call(core, 'datasets.get', { id: outcome.resultId });
        const { id, name, format: f, shape: s, rows, valid, invalid } = summary;
        const duplicates = summary.stats.duplicates;
        // The first invalid rows by the identity every view uses ("line 38: …"), for a person only.
        const bad =
          invalid === 0 || flags.json
            ? []
            : (
                await call(core, 'datasets.rows', {
                  id,
                  offset: 0,
                  limit: INVALID_ROWS_SHOWN,
                  filter: { valid: false },
                })
              ).rows;
        ctx.print({ id, name, format: f, shape: s, rows, valid, invalid, duplicates }, () =>
          [
            `Imported ${rows} rows (${valid} valid, ${invalid} invalid) as ${s} into dataset ${id} "${name}".`,
            ...bad.map(
              (r) => `  ${rowLabel(r.lineNumber, r.rowIndex)}: ${r.problems[0]?.message ?? 'invalid'}`,
            ),
            ...(invalid > bad.length ? [`  … and ${invalid - bad.length} more invalid rows`] : []),
          ].join('\n'),
        );
        warnDuplicates(duplicates, id);
      });
    }
    case 'list':
    case undefined:
      return ctx.withCore(async (core) => {
        const list = await call(core, 'datasets.list', {});
        ctx.print(list, () => (list.length === 0 ? 'No datasets.' : list.map(line).join('\n')));
      });
    case 'show': {
      const id = needTarget('an ID');
      return ctx.withCore(async (core) => {
        const d = await call(core, 'datasets.get', { id });
        ctx.print(d, () => datasetText(d));
      });
    }
    case 'delete': {
      const id = needTarget('an ID');
      return ctx.withCore(async (core) => {
        const result = await call(core, 'datasets.delete', { id });
        ctx.print(result, () => (result.deleted ? 'Deleted.' : 'Nothing to delete.'));
      });
    }
    case 'freeze': {
      const id = needTarget('an ID');
      return ctx.withCore(async (core) => {
        const v = await call(core, 'datasets.freeze', { id, note: flags.note });
        const { stats } = await call(core, 'datasets.get', { id: v.datasetId });
        ctx.print(
          { ...v, duplicates: stats.duplicates },
          () => `Version ${v.version}: ${v.rows} rows (${v.train} train, ${v.val} val), sha256 ${v.sha256}`,
        );
        warnDuplicates(stats.duplicates, v.datasetId);
      });
    }
    case 'dedupe': {
      const id = needTarget('an ID');
      return ctx.withCore(async (core) => {
        const result = await call(core, 'datasets.dedupe', { id, mode: 'exact', apply: flags.apply });
        ctx.print(result, () =>
          [
            result.applied
              ? `Removed ${result.duplicates} exact duplicate rows (${result.groups} groups kept once each).`
              : `${result.duplicates} rows repeat another row exactly (${result.groups} groups). Run again with --apply to remove them.`,
            // The rows by the identity every view uses: their source line ("line 12"), or "row 12".
            ...result.sample
              .slice(0, DEDUPE_GROUPS_SHOWN)
              .map(
                (g) =>
                  `  keep ${g.keepLabel} · ${result.applied ? 'removed' : 'remove'} ${g.removeLabels.join(', ')}`,
              ),
            ...(result.groups > DEDUPE_GROUPS_SHOWN
              ? [`  … and ${result.groups - DEDUPE_GROUPS_SHOWN} more groups`]
              : []),
          ].join('\n'),
        );
      });
    }
    case 'export': {
      if (!flags.out) throw usageError('datasets export needs --out FILE', usage);
      const target = needTarget('an ID or VERSION_ID');
      const shape = flags.shape ?? 'canonical';
      if (shape !== 'canonical' && shape !== 'original')
        throw usageError('--shape must be canonical or original', usage);
      return ctx.withCore(async (core) => {
        const versionId = await versionIdOf(core, target);
        const result = await call(core, 'datasets.export', {
          versionId,
          shape,
          path: resolve(flags.out as string),
        });
        ctx.print(result, () => `Wrote ${result.rows} rows (${result.bytes} bytes) to ${result.path}`);
      });
    }
    default:
      throw usageError(`Unknown datasets command "${sub}"`, usage);
  }
}
