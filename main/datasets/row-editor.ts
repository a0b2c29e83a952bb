import { z } from 'zod';
import type { SqliteDatabase } from '../../db/open';
import {
  CanonicalMessageSchema,
  type DatasetRowView,
  type RowFilter,
  type RowProblem,
} from '../../preload/contract';
import { AppError } from '../errors';
import { contentHash, rowText } from './content-hash';
import type { RowQuery, RowSelectionSql } from './row-query';
import { validateCanonicalRow } from './validate-canonical';

/** Rows to act on: explicit ids or everything a filter matches (the contract's RowSelection). */
export interface RowSelection {
  readonly rowIds?: ReadonlyArray<number>;
  readonly filter?: RowFilter;
}

const ChatRowSchema = z.object({ messages: z.array(CanonicalMessageSchema) }).strict();
const TextRowSchema = z.object({ text: z.string() }).strict();

/**
 * Why a value is not a canonical row, in words a person can act on: checked against the form it
 * looks like (a conversation when it has `messages`, a text when it has `text`), so the reason
 * names the field ("`messages.1.role`: …") instead of "Invalid input".
 */
export function explainRejection(value: unknown, problems: ReadonlyArray<RowProblem>): string {
  const shape = value !== null && typeof value === 'object' ? value : {};
  const schema = 'messages' in shape ? ChatRowSchema : 'text' in shape ? TextRowSchema : null;
  const issues = schema?.safeParse(value).error?.issues;
  if (schema === null) return 'a row is an object with `messages` (a conversation) or `text`';
  const found = issues
    ?.slice(0, 5)
    .map((i) => ({ path: i.path.map(String).join('.') || '$', message: i.message }));
  return (found && found.length > 0 ? found : problems)
    .map((p) => (p.path === '$' ? p.message : `\`${p.path}\`: ${p.message}`))
    .join('; ');
}

/**
 * Changes to rows: edit one row's canonical form (validated again), soft delete and restore, tags.
 * Each change is one transaction that also keeps the dataset's live row/valid/invalid counts
 * right; the search index follows edits by trigger. A rejected edit changes nothing.
 */
export class RowEditor {
  constructor(
    private readonly sqlite: SqliteDatabase,
    private readonly query: RowQuery,
    private readonly now: () => number = Date.now,
  ) {}

  /** Replace a row's canonical form; throws BAD_INPUT (and stores nothing) when it is not a row. */
  updateRow(datasetId: string, rowId: number, canonical: unknown): DatasetRowView {
    const { row, problems } = validateCanonicalRow(canonical);
    if (row === null) {
      throw new AppError('BAD_INPUT', `The edit was not saved: ${explainRejection(canonical, problems)}.`, {
        problems,
      });
    }
    const ts = this.now();
    this.sqlite.transaction(() => {
      const before = this.sqlite
        .prepare('SELECT valid, deleted_at FROM dataset_rows WHERE id = ? AND dataset_id = ?')
        .get(rowId, datasetId) as { valid: number; deleted_at: number | null } | undefined;
      if (!before) throw new AppError('NOT_FOUND', `Row ${rowId} is not in dataset ${datasetId}.`);
      const valid = problems.length === 0 ? 1 : 0;
      this.sqlite
        .prepare(
          `UPDATE dataset_rows SET canonical_json = @canonical, valid = @valid, problems_json = @problems,
             char_length = @chars, turns = @turns, content_hash = @hash, token_count = NULL, updated_at = @ts
           WHERE id = @id`,
        )
        .run({
          id: rowId,
          canonical: JSON.stringify(row),
          valid,
          problems: JSON.stringify(problems),
          chars: rowText(row).length,
          turns: 'messages' in row ? row.messages.length : 0,
          hash: contentHash(row),
          ts,
        });
      if (before.deleted_at === null && before.valid !== valid) {
        this.adjustCounts(datasetId, valid - before.valid, before.valid - valid, ts);
      }
    })();
    this.query.invalidate(datasetId, ['content']);
    const view = this.query.row(datasetId, rowId);
    if (!view) throw new AppError('NOT_FOUND', `Row ${rowId} is not in dataset ${datasetId}.`);
    return view;
  }

  /** Soft delete (or restore) the selected rows; returns how many rows changed state. */
  setDeleted(datasetId: string, selection: RowSelection, deleted: boolean): number {
    const selected = this.selectionSql(datasetId, selection);
    if (selected === null) return 0;
    const params = { ...selected.params, ds: datasetId, ts: this.now() };
    const state = deleted ? 'deleted_at IS NULL' : 'deleted_at IS NOT NULL';
    const where = `id IN (${selected.sql}) AND dataset_id = @ds AND ${state}`;
    const updated = this.sqlite.transaction(() => {
      const affected = this.sqlite
        .prepare(`SELECT count(*) AS n, coalesce(sum(valid), 0) AS valid FROM dataset_rows WHERE ${where}`)
        .get(params) as { n: number; valid: number };
      if (affected.n === 0) return 0;
      const changes = this.sqlite
        .prepare(
          `UPDATE dataset_rows SET deleted_at = ${deleted ? '@ts' : 'NULL'}, updated_at = @ts WHERE ${where}`,
        )
        .run(params).changes;
      const sign = deleted ? -1 : 1;
      this.adjustCounts(datasetId, sign * affected.valid, sign * (affected.n - affected.valid), params.ts);
      return changes;
    })();
    if (updated > 0) this.query.invalidate(datasetId, ['live']);
    return updated;
  }

  /** Add and remove tags on the selected rows (tags kept unique and sorted); returns rows changed. */
  tag(
    datasetId: string,
    selection: RowSelection,
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>,
  ): number {
    const selected = this.selectionSql(datasetId, selection);
    if (selected === null || (add.length === 0 && remove.length === 0)) return 0;
    const next = `(SELECT json_group_array(value ORDER BY value) FROM (
        SELECT value FROM json_each(dataset_rows.tags_json) WHERE value NOT IN (SELECT value FROM json_each(@remove))
        UNION SELECT value FROM json_each(@add)))`;
    const updated = this.sqlite
      .prepare(
        `UPDATE dataset_rows SET tags_json = ${next}, updated_at = @ts
         WHERE id IN (${selected.sql}) AND dataset_id = @ds AND tags_json IS NOT ${next}`,
      )
      .run({
        ...selected.params,
        ds: datasetId,
        ts: this.now(),
        add: JSON.stringify([...new Set(add)]),
        remove: JSON.stringify([...new Set(remove)]),
      }).changes;
    if (updated > 0) this.query.invalidate(datasetId, ['tags']);
    return updated;
  }

  /** Move the live counts of a dataset by the valid and invalid rows that appeared (or went). */
  private adjustCounts(datasetId: string, validDelta: number, invalidDelta: number, ts: number): void {
    this.sqlite
      .prepare(
        `UPDATE datasets SET row_count = row_count + @rows, valid_count = valid_count + @valid,
           invalid_count = invalid_count + @invalid, updated_at = @ts WHERE id = @id`,
      )
      .run({ id: datasetId, rows: validDelta + invalidDelta, valid: validDelta, invalid: invalidDelta, ts });
  }

  private selectionSql(datasetId: string, selection: RowSelection): RowSelectionSql | null {
    if (selection.rowIds !== undefined) {
      return {
        sql: 'SELECT value FROM json_each(@rowIds)',
        params: { rowIds: JSON.stringify(selection.rowIds) },
      };
    }
    return this.query.selection(datasetId, selection.filter ?? {});
  }
}
