import { join } from 'node:path';
import { type OpenedDatabase, openDatabase } from '../../db/open';
import { defaultMigrationsDir } from '../../main/paths';
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
