import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import type { DatasetsRepository, DatasetVersionRow } from '../../../db/repositories/datasets-repository';
import type { DatasetVersion } from '../../../preload/contract';
import { AppError } from '../../errors';
import { AtomicFileWriter } from './atomic-file';

/** Rows read per page while writing a version. */
const PAGE_ROWS = 1000;

export interface FreezeDeps {
  readonly rows: DatasetRowsRepository;
  readonly datasets: DatasetsRepository;
  readonly dataDir: string;
}

/** A stored version as the contract shows it. */
export function toDatasetVersion(row: DatasetVersionRow): DatasetVersion {
  return {
    id: row.id,
    datasetId: row.datasetId,
    version: row.version,
    sha256: row.sha256,
    sizeBytes: row.sizeBytes,
    rows: row.rowCount,
    train: row.trainCount,
    val: row.valCount,
    note: row.note,
    path: row.filePath,
    createdAt: row.createdAt,
  };
}

/** A version's file, relative to the data folder (forward slashes on every platform). */
export function versionPath(datasetId: string, version: number): string {
  return `datasets/${datasetId}/v${version}.jsonl`;
}

/**
 * Freeze a dataset's curated rows (valid and live, in row order) into an immutable JSONL file,
 * `<dataDir>/datasets/<id>/v<N>.jsonl`, one canonical row per line with two more fields:
 * `"split"` ("train", or "val" for validation rows; rows never split count as train) and `"row"`
 * (the 0-based row index in the imported file, which is how an export finds the original row).
 * The file is written whole (temp file, fsync, rename), made read-only, and recorded with its
 * sha256 and counts as version N.
 */
export async function freezeDataset(
  deps: FreezeDeps,
  datasetId: string,
  note: string | null,
): Promise<DatasetVersionRow> {
  const folder = join(deps.dataDir, 'datasets', datasetId);
  mkdirSync(folder, { recursive: true });
  removeStaleStaging(folder);
  const staging = join(folder, `staging-${Date.now()}-${process.pid}.jsonl`);
  const writer = await AtomicFileWriter.create(staging);
  let rows = 0;
  let val = 0;
  try {
    const everyId = { from: 0, to: Number.MAX_SAFE_INTEGER };
    for (let after = -1; ; ) {
      const batch = deps.rows.validLivePage(datasetId, everyId, after, PAGE_ROWS);
      let text = '';
      for (const row of batch) {
        const canonical = row.canonical?.trim() ?? '';
        if (!canonical.startsWith('{') || !canonical.endsWith('}') || canonical === '{}') continue;
        const side = row.split === 'val' ? 'val' : 'train';
        if (side === 'val') val++;
        rows++;
        text += `${canonical.slice(0, -1)},"split":"${side}","row":${row.rowIndex}}\n`;
      }
      await writer.write(text);
      const last = batch.at(-1);
      if (!last || batch.length < PAGE_ROWS) break;
      after = last.id;
    }
    if (rows === 0) throw new AppError('BAD_INPUT', 'Nothing to freeze: the dataset has no valid rows left.');
  } catch (error) {
    await writer.abort();
    throw error;
  }
  const written = await writer.finish({ readOnly: true });

  try {
    return deps.datasets.immediate(() => {
      const number = deps.datasets.lastVersionEver(datasetId) + 1;
      const relative = versionPath(datasetId, number);
      const target = join(deps.dataDir, relative);
      // A file with this number but no version row is left from a crash between rename and insert.
      if (existsSync(target)) {
        chmodSync(target, 0o644);
        rmSync(target, { force: true });
      }
      renameSync(staging, target);
      const version = deps.datasets.addVersion({
        datasetId,
        filePath: relative,
        sha256: written.sha256,
        sizeBytes: written.bytes,
        rowCount: rows,
        trainCount: rows - val,
        valCount: val,
        note,
      });
      if (version.version !== number) {
        renameSync(target, staging);
        throw new AppError('CONFLICT', 'Another freeze of this dataset ran at the same time; try again.');
      }
      return version;
    });
  } catch (error) {
    rmSync(staging, { force: true });
    throw error;
  }
}

/** Staging files older than this were left by a freeze that crashed. */
const STALE_STAGING_MS = 60 * 60 * 1000;

function removeStaleStaging(folder: string): void {
  for (const name of readdirSync(folder)) {
    if (!/^staging-.*\.jsonl$/.test(name)) continue;
    const file = join(folder, name);
    if (Date.now() - statSync(file).mtimeMs > STALE_STAGING_MS) rmSync(file, { force: true });
  }
}
