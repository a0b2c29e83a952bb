import { join } from 'node:path';
import { type OpenedDatabase, openDatabase } from '../../db/open';
import { databaseFile, defaultMigrationsDir } from '../../main/paths';
import { makeTempDir } from './temp-dir';

/** A real SQLite file with the real migrations applied, in a temp folder. */
export async function createTestDb(): Promise<OpenedDatabase & { cleanup(): void }> {
  const tmp = makeTempDir();
  const opened = await openDatabase({
    file: join(tmp.dir, 'test.db'),
    migrationsDir: defaultMigrationsDir(),
  });
  return Object.assign(opened, {
    cleanup() {
      opened.close();
      tmp.cleanup();
    },
  });
}

/**
 * A second connection to a core's own database file (WAL allows it), for tests that must seed or
 * look at rows no channel writes or shows; closed by the caller. Cores are reached through `api` only.
 */
export async function openDataDirDb(dataDir: string): Promise<OpenedDatabase> {
  return openDatabase({ file: databaseFile(dataDir), migrationsDir: defaultMigrationsDir() });
}
