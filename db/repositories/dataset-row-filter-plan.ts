/**
 * How a RowFilter becomes SQL that stays fast on a million rows. One source of rows drives the query
 * in id order (search matches, deleted rows, tagged rows, rows with problems, duplicates, or the
 * dataset's id range) and every other filter is checked against dataset_rows_state_idx, an index
 * keyed by id that covers the cheap columns, so the wide row records are never read to filter.
 */
import type { RowFilter } from '../../preload/contract';

/** Where a dataset's rows sit in the id space (ids grow in import order). */
export interface DatasetSpan {
  readonly lo: number;
  readonly hi: number;
  /** Every id in [lo, hi] is a row of this dataset (one import, nothing interleaved). */
  readonly contiguous: boolean;
  /** No row of another dataset exists at all outside [lo, hi]. */
  readonly alone: boolean;
  /** The dataset has soft-deleted rows. */
  readonly hasDeleted: boolean;
}

/** A query over row ids: `SELECT <id> FROM <from> WHERE <where> ORDER BY <order>`. */
export interface RowPlan {
  readonly id: string;
  readonly from: string;
  readonly where: ReadonlyArray<string>;
  readonly order: string;
  readonly params: Readonly<Record<string, unknown>>;
  /**
   * Whether a range on `id` narrows the driving index itself (search matches, deleted rows, the id
   * range), so the plan can be counted a slice of ids at a time; false where the rows come from a
   * set that is built whole first (tagged rows, rows with problems, duplicates).
   */
  readonly sliceable: boolean;
}

const STATE = 'dataset_rows r INDEXED BY dataset_rows_state_idx';

/** `%text%` for LIKE with the wildcards in the text escaped. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** The SELECT of every matching id, for bulk updates. */
export function selectIdsSql(plan: RowPlan): string {
  return `SELECT ${plan.id} AS id FROM ${plan.from} WHERE ${plan.where.join(' AND ')}`;
}

/** The page query: ids in order, LIMIT @limit OFFSET @offset. */
export function pageIdsSql(plan: RowPlan): string {
  return `${selectIdsSql(plan)} ORDER BY ${plan.order} LIMIT @limit OFFSET @offset`;
}

/** A selection of rows as SQL for bulk statements: `... WHERE id IN (<sql>)`. Built only here. */
export interface RowSelectionSql {
  readonly sql: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** The selection of a plan: every id it matches. */
export function planSelection(plan: RowPlan): RowSelectionSql {
  return { sql: selectIdsSql(plan), params: plan.params };
}

/** The selection of explicit row ids. */
export function idsSelection(rowIds: ReadonlyArray<number>): RowSelectionSql {
  return { sql: 'SELECT value FROM json_each(@rowIds)', params: { rowIds: JSON.stringify(rowIds) } };
}

/** A SQL CASE expression giving the bin index of `column` for these histogram edges. */
export function binCaseSql(column: string, edges: ReadonlyArray<number>): string {
  const bins = Math.max(1, edges.length - 1);
  const whens = edges
    .slice(1, -1)
    .map((edge, i) => `WHEN ${column} < ${Number(edge)} THEN ${i}`)
    .join(' ');
  return whens === '' ? '0' : `CASE ${whens} ELSE ${bins - 1} END`;
}

/** The total of the filter. */
export function countSql(plan: RowPlan): string {
  return `SELECT count(*) FROM ${plan.from} WHERE ${plan.where.join(' AND ')}`;
}

/** How many rows the filter matches, counting no further than @cap (a lower bound when it is reached). */
export function countUpToSql(plan: RowPlan): string {
  return `SELECT count(*) FROM (${selectIdsSql(plan)} LIMIT @cap)`;
}

/** The total of the filter among ids in [@sliceFrom, @sliceTo) (for sliceable plans). */
export function countSliceSql(plan: RowPlan): string {
  return `${countSql(plan)} AND ${plan.id} >= @sliceFrom AND ${plan.id} < @sliceTo`;
}

/**
 * The plan of a filter. `match` is the FTS5 expression of the search and role filters (null when
 * neither is given); the search text itself is not looked at here.
 */
export function planRows(
  datasetId: string,
  span: DatasetSpan,
  filter: RowFilter,
  match: string | null,
): RowPlan {
  const deletedView = filter.deleted === true;
  const liveness = deletedView ? 'IS NOT NULL' : 'IS NULL';
  const params: Record<string, unknown> = { ds: datasetId, lo: span.lo, hi: span.hi };

  const state: string[] = [];
  if (filter.valid !== undefined) {
    state.push('r.valid = @valid');
    params.valid = filter.valid ? 1 : 0;
  }
  if (filter.minChars !== undefined) {
    state.push('r.char_length >= @minChars');
    params.minChars = filter.minChars;
  }
  if (filter.maxChars !== undefined) {
    state.push('r.char_length <= @maxChars');
    params.maxChars = filter.maxChars;
  }
  if (filter.minTurns !== undefined) {
    state.push('r.turns >= @minTurns');
    params.minTurns = filter.minTurns;
  }
  if (filter.maxTurns !== undefined) {
    state.push('r.turns <= @maxTurns');
    params.maxTurns = filter.maxTurns;
  }
  if (filter.split === 'unsplit') state.push('r.split IS NULL');
  else if (filter.split !== undefined) {
    state.push('r.split = @split');
    params.split = filter.split;
  }

  const tagged = (alias: string): string =>
    `SELECT ${alias}.id FROM dataset_rows ${alias} INDEXED BY dataset_rows_tagged_idx
     WHERE ${alias}.dataset_id = @ds AND ${alias}.deleted_at ${liveness} AND ${alias}.tags_json <> '[]'
       AND EXISTS (SELECT 1 FROM json_each(${alias}.tags_json) WHERE value = @tag)`;
  const withProblem = (alias: string): string =>
    `SELECT ${alias}.id FROM dataset_rows ${alias} INDEXED BY dataset_rows_problems_idx
     WHERE ${alias}.dataset_id = @ds AND ${alias}.deleted_at ${liveness} AND ${alias}.problems_json <> '[]'
       AND EXISTS (SELECT 1 FROM json_each(${alias}.problems_json) AS j
                   WHERE json_extract(j.value, '$.message') LIKE @problem ESCAPE '\\'
                      OR json_extract(j.value, '$.path') LIKE @problem ESCAPE '\\')`;
  const sharedHashes = `SELECT content_hash FROM dataset_rows INDEXED BY dataset_rows_live_hash_idx
     WHERE dataset_id = @ds AND deleted_at IS NULL AND content_hash IS NOT NULL
     GROUP BY content_hash HAVING count(*) > 1`;
  // A deleted row is a duplicate when a live row still holds its content.
  const liveTwin = `EXISTS (SELECT 1 FROM dataset_rows x INDEXED BY dataset_rows_live_hash_idx
     WHERE x.dataset_id = @ds AND x.deleted_at IS NULL AND x.content_hash = r.content_hash)`;
  if (filter.tag !== undefined) params.tag = filter.tag;
  if (filter.problem !== undefined) params.problem = likePattern(filter.problem);

  // Filters that are not the driving source are checked row by row, correlated on r.id (or its
  // hash): one index seek per candidate, so a first page reads about as many entries as it needs.
  // `r.id IN (<every tagged row>)` built the whole set first (a json_each over every tagged row,
  // ~100 ms at 200k rows) before the first row came out.
  const sameLiveness = (alias: string): string =>
    deletedView ? `${alias}.deleted_at = r.deleted_at` : `${alias}.deleted_at IS NULL`;
  const hasTag = `EXISTS (SELECT 1 FROM dataset_rows t INDEXED BY dataset_rows_tagged_idx
     WHERE t.dataset_id = @ds AND ${sameLiveness('t')} AND t.id = r.id AND t.tags_json <> '[]'
       AND EXISTS (SELECT 1 FROM json_each(t.tags_json) WHERE value = @tag))`;
  const hasProblem = `EXISTS (SELECT 1 FROM dataset_rows p INDEXED BY dataset_rows_problems_idx
     WHERE p.dataset_id = @ds AND ${sameLiveness('p')} AND p.id = r.id AND p.problems_json <> '[]'
       AND EXISTS (SELECT 1 FROM json_each(p.problems_json) AS j
                   WHERE json_extract(j.value, '$.message') LIKE @problem ESCAPE '\\'
                      OR json_extract(j.value, '$.path') LIKE @problem ESCAPE '\\'))`;
  // A live row is a duplicate when another live row holds its content.
  const liveOtherTwin = `EXISTS (SELECT 1 FROM dataset_rows x INDEXED BY dataset_rows_live_hash_idx
     WHERE x.dataset_id = @ds AND x.deleted_at IS NULL AND x.content_hash = r.content_hash AND x.id <> r.id)`;

  const sets: string[] = [];
  const addSets = (driver: 'tag' | 'problem' | 'duplicate' | null): void => {
    if (filter.tag !== undefined && driver !== 'tag') sets.push(hasTag);
    if (filter.problem !== undefined && driver !== 'problem') sets.push(hasProblem);
    if (filter.duplicate !== undefined && driver !== 'duplicate') {
      const twin = deletedView ? liveTwin : liveOtherTwin;
      sets.push(filter.duplicate ? twin : `NOT ${twin}`);
    }
  };
  const own = ['r.dataset_id = @ds', `r.deleted_at ${liveness}`];

  if (match !== null) {
    params.match = match;
    const where = ['f.dataset_rows_fts MATCH @match'];
    if (!span.alone) where.push('f.rowid BETWEEN @lo AND @hi');
    const needsRows =
      deletedView ||
      !span.contiguous ||
      state.length > 0 ||
      filter.tag !== undefined ||
      filter.problem !== undefined ||
      filter.duplicate !== undefined;
    if (!needsRows) {
      // Only search: counting the matches needs nothing but the index itself.
      if (span.hasDeleted) {
        where.push(`f.rowid NOT IN (SELECT id FROM dataset_rows INDEXED BY dataset_rows_deleted_idx
                     WHERE dataset_id = @ds AND deleted_at IS NOT NULL)`);
      }
      return { id: 'f.rowid', from: 'dataset_rows_fts f', where, order: 'f.rowid', params, sliceable: true };
    }
    addSets(null);
    return {
      id: 'f.rowid',
      from: `dataset_rows_fts f CROSS JOIN ${STATE} ON r.id = f.rowid`,
      where: [...where, ...own, ...state, ...sets],
      order: 'f.rowid',
      params,
      sliceable: true,
    };
  }

  if (deletedView) {
    addSets(null);
    return {
      id: 'd.id',
      from: `dataset_rows d INDEXED BY dataset_rows_deleted_idx CROSS JOIN ${STATE} ON r.id = d.id`,
      where: ['d.dataset_id = @ds', 'd.deleted_at IS NOT NULL', ...own, ...state, ...sets],
      order: 'd.id',
      params,
      sliceable: true,
    };
  }
  if (filter.tag !== undefined || filter.problem !== undefined) {
    const driver = filter.tag !== undefined ? 'tag' : 'problem';
    addSets(driver);
    const source = driver === 'tag' ? tagged('s') : withProblem('s');
    // Ordered by s.id, the driving index's own order: `ORDER BY r.id` sorted every tagged row in a
    // temp B-tree before the first page came out (the planner does not carry r.id = s.id over).
    return {
      id: 's.id',
      from: `(${source}) AS s CROSS JOIN ${STATE} ON r.id = s.id`,
      where: [...own, ...state, ...sets],
      order: 's.id',
      params,
      sliceable: false,
    };
  }
  if (filter.duplicate === true) {
    addSets('duplicate');
    return {
      id: 'h.id',
      from: `dataset_rows h INDEXED BY dataset_rows_live_hash_idx CROSS JOIN ${STATE} ON r.id = h.id`,
      where: [
        'h.dataset_id = @ds',
        'h.deleted_at IS NULL',
        `h.content_hash IN (${sharedHashes})`,
        ...own,
        ...state,
        ...sets,
      ],
      order: 'h.id',
      params,
      sliceable: false,
    };
  }
  addSets(null);
  return {
    id: 'r.id',
    from: STATE,
    where: ['r.id BETWEEN @lo AND @hi', ...own, ...state, ...sets],
    order: 'r.id',
    params,
    sliceable: true,
  };
}
