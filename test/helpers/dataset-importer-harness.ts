import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { openDatabase } from '../../db/open';
import { STORED_ROW_COLUMNS } from '../../db/repositories/dataset-rows-repository';
import { DatasetImporter, type DatasetImporterDeps } from '../../main/datasets/import/dataset-importer';
import { EventBus } from '../../main/events/event-bus';
import { defaultMigrationsDir } from '../../main/paths';
import { TaskRegistry } from '../../main/tasks/task-registry';
import type { PushedEvent } from '../../preload/contract';
import { makeTempDir } from './temp-dir';

export interface StoredRow {
  readonly row_index: number;
  readonly line_number: number | null;
  readonly valid: number;
  readonly original_json: string;
  readonly canonical_json: string | null;
  readonly problems_json: string;
  readonly char_length: number;
  readonly turns: number;
  readonly content_hash: Buffer | null;
}

/**
 * A DatasetImporter on a real, migrated SQLite file in a temp data folder, with a separate folder
 * for source files, every pushed event recorded, and ways to look at what was stored.
 */
export async function createImporterHarness(options: Partial<DatasetImporterDeps> = {}) {
  const tmp = makeTempDir('lora-studio-import-');
  const dataDir = join(tmp.dir, 'data');
  const srcDir = join(tmp.dir, 'src');
  mkdirSync(dataDir);
  mkdirSync(srcDir);
  const dbFile = join(dataDir, 'lora-studio.db');
  const opened = await openDatabase({ file: dbFile, migrationsDir: defaultMigrationsDir() });
  const bus = new EventBus();
  const events: PushedEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const tasks = new TaskRegistry(bus);
  const importer = new DatasetImporter({
    dataDir,
    dbFile,
    db: opened.db,
    sqlite: opened.sqlite,
    tasks,
    events: bus,
    ...options,
  });
  const { sqlite } = opened;
  return {
    importer,
    tasks,
    events,
    dataDir,
    srcDir,
    sqlite,
    db: opened.db,
    /** Datasets and rows in the database, whatever their status. */
    counts(): { datasets: number; rows: number } {
      const n = (sql: string) => (sqlite.prepare(sql).get() as { n: number }).n;
      return {
        datasets: n('SELECT COUNT(*) AS n FROM datasets'),
        rows: n('SELECT COUNT(*) AS n FROM dataset_rows'),
      };
    },
    dataset(id: string): Record<string, unknown> {
      return sqlite.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as Record<string, unknown>;
    },
    rows(id: string): StoredRow[] {
      return sqlite
        .prepare(`SELECT ${STORED_ROW_COLUMNS} FROM dataset_rows WHERE dataset_id = ? ORDER BY row_index`)
        .all(id) as StoredRow[];
    },
    /** Every file under the data folder, relative to it (the database files excluded). */
    dataFiles(): string[] {
      return listFiles(dataDir)
        .map((f) => relative(dataDir, f))
        .filter((f) => !f.startsWith('lora-studio.db'));
    },
    cleanup(): void {
      tasks.cancelAll();
      opened.close();
      tmp.cleanup();
    },
  };
}

export type ImporterHarness = Awaited<ReturnType<typeof createImporterHarness>>;

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : [path];
  });
}
