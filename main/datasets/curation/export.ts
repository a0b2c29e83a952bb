import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import type { DatasetsRepository } from '../../../db/repositories/datasets-repository';
import { AppError } from '../../errors';
import { AtomicFileWriter } from './atomic-file';

/** Lines looked up together when exporting original rows. */
const BATCH_LINES = 1000;

export interface ExportDeps {
  readonly rows: DatasetRowsRepository;
  readonly datasets: DatasetsRepository;
  readonly dataDir: string;
}

export interface ExportResult {
  readonly path: string;
  readonly rows: number;
  readonly bytes: number;
}

/** A frozen line without the version's own fields: the canonical row. */
function canonicalLine(line: string): string {
  const { split: _split, row: _row, ...canonical } = JSON.parse(line) as Record<string, unknown>;
  return `${JSON.stringify(canonical)}\n`;
}

/** An original row as one JSONL line (re-serialised only if the stored text spans lines). */
function originalLine(originalJson: string): string {
  if (!/[\r\n]/.test(originalJson)) return `${originalJson}\n`;
  try {
    return `${JSON.stringify(JSON.parse(originalJson))}\n`;
  } catch {
    return `${JSON.stringify(originalJson)}\n`;
  }
}

/**
 * Export a frozen version to a new file chosen by the user: as canonical chat JSONL, or in the
 * original shape (each row's original_json, as imported). The frozen file is checked against its
 * sha256 on the way; an existing target is never replaced, and a failed export leaves no file.
 */
export async function exportVersion(
  deps: ExportDeps,
  versionId: string,
  shape: 'canonical' | 'original',
  path: string,
): Promise<ExportResult> {
  const version = deps.datasets.getVersion(versionId);
  if (!version || version.deletedAt !== null)
    throw new AppError('NOT_FOUND', `There is no version ${versionId}.`);
  const source = join(deps.dataDir, version.filePath);
  if (!existsSync(source)) {
    throw new AppError(
      'NOT_FOUND',
      `The file of version ${version.version} is missing (${version.filePath}).`,
    );
  }
  if (!isAbsolute(path)) throw new AppError('BAD_INPUT', `Give the export a full path, not "${path}".`);
  const target = resolve(path);
  if (target === resolve(source))
    throw new AppError('BAD_INPUT', 'Export to a new file, not onto the version itself.');

  const writer = await AtomicFileWriter.create(target);
  const hash = createHash('sha256');
  const stream = createReadStream(source);
  stream.on('data', (chunk) => hash.update(chunk));
  let rows = 0;
  let pending: number[] = [];
  const flushOriginals = async (): Promise<void> => {
    if (pending.length === 0) return;
    const found = deps.rows.originals(version.datasetId, pending);
    const byIndex = new Map(found.map((r) => [r.rowIndex, r.original]));
    let text = '';
    for (const index of pending) {
      const original = byIndex.get(index);
      if (original === undefined)
        throw new AppError('INTERNAL', `Row ${index} of the version is no longer stored.`);
      text += originalLine(original);
    }
    pending = [];
    await writer.write(text);
  };
  try {
    for await (const line of createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })) {
      if (line.trim() === '') continue;
      rows++;
      if (shape === 'canonical') await writer.write(canonicalLine(line));
      else {
        pending.push(Number((JSON.parse(line) as { row?: unknown }).row));
        if (pending.length >= BATCH_LINES) await flushOriginals();
      }
    }
    await flushOriginals();
    if (hash.digest('hex') !== version.sha256) {
      throw new AppError(
        'CONFLICT',
        `Version ${version.version} changed on disk since it was frozen (its sha256 differs); nothing was exported.`,
      );
    }
  } catch (error) {
    stream.destroy();
    await writer.abort();
    throw error;
  }
  const written = await writer.finish();
  return { path: written.path, rows, bytes: written.bytes };
}
