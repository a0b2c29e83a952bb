import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type DatasetRowRecord,
  DatasetRowsRepository,
  type NewDatasetRow,
  STORED_ROW_COLUMNS,
} from '../../db/repositories/dataset-rows-repository';
import { DatasetSearchRepository } from '../../db/repositories/dataset-search-repository';
import { DatasetsRepository } from '../../db/repositories/datasets-repository';
import { DatasetCurator, type DatasetCuratorDeps } from '../../main/datasets/curation/dataset-curator';
import { contentHash, rowText } from '../../main/datasets/normalise/content-hash';
import { validateCanonicalRow } from '../../main/datasets/normalise/validate-canonical';
import { EventBus } from '../../main/events/event-bus';
import { TaskRegistry } from '../../main/tasks/task-registry';
import type { CanonicalMessage, PushedEvent } from '../../preload/contract';
import { createTestDb } from './test-db';

/** A row as a test writes it: a conversation, a text, or something that is not a row at all. */
export type RowSpec =
  | {
      readonly messages: ReadonlyArray<
        Partial<CanonicalMessage> & Pick<CanonicalMessage, 'role' | 'content'>
      >;
    }
  | { readonly text: string }
  | { readonly raw: unknown };

/** What the importer would store for this row (same validation, hash and measures). */
export function buildTestRow(spec: RowSpec, rowIndex: number): NewDatasetRow {
  const value = 'raw' in spec ? spec.raw : spec;
  const { row, problems } = validateCanonicalRow(value);
  const canonical = 'raw' in spec ? null : row;
  return {
    rowIndex,
    lineNumber: rowIndex + 1,
    originalJson: JSON.stringify(value),
    canonicalJson: canonical ? JSON.stringify(canonical) : null,
    valid: canonical !== null && problems.length === 0,
    problemsJson: JSON.stringify(
      canonical ? problems : [{ path: '$', message: `line ${rowIndex + 1}: not a row` }],
    ),
    charLength: canonical ? rowText(canonical).length : 0,
    turns: canonical && 'messages' in canonical ? canonical.messages.length : 0,
    contentHash: canonical ? contentHash(canonical) : null,
  };
}

/** A user → assistant exchange. */
export function chat(user: string, assistant: string, system?: string): RowSpec {
  return {
    messages: [
      ...(system ? [{ role: 'system' as const, content: system }] : []),
      { role: 'user' as const, content: user },
      { role: 'assistant' as const, content: assistant },
    ],
  };
}

/**
 * A migrated database in a temp data folder with a curator on it; `addDataset` inserts rows through
 * DatasetRowsRepository.insertBatch and indexes them, as the importer does.
 */
export async function createCurationFixture(options: Partial<DatasetCuratorDeps> = {}) {
  const opened = await createTestDb();
  const dataDir = join(opened.sqlite.name, '..', 'data');
  mkdirSync(dataDir, { recursive: true });
  const events = new EventBus();
  const pushed: PushedEvent[] = [];
  events.subscribe((e) => pushed.push(e));
  const tasks = new TaskRegistry(events);
  const datasets = new DatasetsRepository(opened.db);
  const rowsRepo = new DatasetRowsRepository(opened.db, opened.sqlite);
  const curator = new DatasetCurator({
    dataDir,
    db: opened.db,
    sqlite: opened.sqlite,
    events,
    tasks,
    workers: false,
    ...options,
  });

  function addDataset(specs: ReadonlyArray<RowSpec>, name = 'test set', status = 'ready'): string {
    const rows = specs.map((s, i) => buildTestRow(s, i));
    const valid = rows.filter((r) => r.valid).length;
    const ds = datasets.create({
      name,
      format: 'jsonl',
      shape: 'chat',
      status,
      sourceName: `${name}.jsonl`,
      rowCount: rows.length,
      validCount: valid,
      invalidCount: rows.length - valid,
      detectionJson: JSON.stringify({
        shape: 'chat',
        evidence: ['test rows'],
        candidates: [],
        sampled: rows.length,
        overridden: false,
      }),
    });
    for (let i = 0; i < rows.length; i += 1000) rowsRepo.insertBatch(ds.id, rows.slice(i, i + 1000));
    new DatasetSearchRepository(opened.sqlite).indexRows(ds.id);
    return ds.id;
  }

  /** Row ids of a dataset in row order. */
  function rowIds(datasetId: string): number[] {
    return opened.sqlite
      .prepare('SELECT id FROM dataset_rows WHERE dataset_id = ? ORDER BY row_index')
      .pluck()
      .all(datasetId) as number[];
  }

  function rowRecord(id: number): DatasetRowRecord & Record<string, unknown> {
    return opened.sqlite
      .prepare(`SELECT ${STORED_ROW_COLUMNS} FROM dataset_rows WHERE id = ?`)
      .get(id) as never;
  }

  return {
    ...opened,
    dataDir,
    events,
    pushed,
    tasks,
    datasets,
    curator,
    addDataset,
    rowIds,
    rowRecord,
  };
}

export type CurationFixture = Awaited<ReturnType<typeof createCurationFixture>>;
