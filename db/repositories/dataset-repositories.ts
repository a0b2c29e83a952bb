import { drizzle } from 'drizzle-orm/better-sqlite3';
import type { Clock } from '../ids';
import type { Db, SqliteDatabase } from '../open';
import * as schema from '../schema';
import { DatasetRowQueryRepository } from './dataset-row-query-repository';
import { DatasetRowsRepository } from './dataset-rows-repository';
import { DatasetSearchRepository } from './dataset-search-repository';
import { DatasetsRepository } from './datasets-repository';

/** Every repository of the datasets area, on one connection. */
export interface DatasetRepositories {
  readonly datasets: DatasetsRepository;
  readonly rows: DatasetRowsRepository;
  readonly rowQuery: DatasetRowQueryRepository;
  readonly search: DatasetSearchRepository;
}

/**
 * The datasets area's repositories on a connection. `db` is the drizzle wrapper of that same
 * connection; a worker that opened its own connection leaves it out and gets one made here.
 */
export function createDatasetRepositories(
  sqlite: SqliteDatabase,
  now: Clock = Date.now,
  db: Db = drizzle(sqlite, { schema }),
): DatasetRepositories {
  return {
    datasets: new DatasetsRepository(db, now),
    rows: new DatasetRowsRepository(db, sqlite, now),
    rowQuery: new DatasetRowQueryRepository(sqlite),
    search: new DatasetSearchRepository(sqlite),
  };
}
