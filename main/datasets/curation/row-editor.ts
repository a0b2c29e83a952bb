import { z } from 'zod';
import { idsSelection } from '../../../db/repositories/dataset-row-filter-plan';
import type { DatasetRowsRepository } from '../../../db/repositories/dataset-rows-repository';
import type { DatasetsRepository } from '../../../db/repositories/datasets-repository';
import {
  CanonicalMessageSchema,
  conversationsOf,
  type DatasetRowView,
  KtoRowSchema,
  PreferenceRowSchema,
  type RowFilter,
  type RowProblem,
  ToolDefinitionSchema,
} from '../../../preload/contract';
import { AppError } from '../../errors';
import { contentHash, rowText } from '../normalise/content-hash';
import { validateCanonicalRow } from '../normalise/validate-canonical';
import type { RowQuery } from '../query/row-query';
import { SliceRunner } from './bulk-edit';
import type { ScanControl } from './dedupe';

// Slices of at most 500 rows take tens of milliseconds each (~30 µs a row on 2 loaded cores): a bulk
// edit of a million rows in one transaction kept every other writer waiting for tens of seconds.
export { BULK_EDIT_PAUSE_MS, BULK_EDIT_SLICE_ROWS, pauseBetweenSlices } from './bulk-edit';

/** Ids in slices of at most `size`. */
export function slices<T>(ids: ReadonlyArray<T>, size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < ids.length; i += size) out.push(ids.slice(i, i + size));
  return out;
}

/** Rows to act on: explicit ids or everything a filter matches (the contract's RowSelection). */
export interface RowSelection {
  readonly rowIds?: ReadonlyArray<number>;
  readonly filter?: RowFilter;
}

const ChatRowSchema = z
  .object({ messages: z.array(CanonicalMessageSchema), tools: z.array(ToolDefinitionSchema).optional() })
  .strict();
const TextRowSchema = z.object({ text: z.string() }).strict();

/**
 * Why a value is not a canonical row, in words a person can act on: checked against the form it
 * looks like (a conversation when it has `messages`, a text when it has `text`), so the reason
 * names the field ("`messages.1.role`: …") instead of "Invalid input".
 */
export function explainRejection(value: unknown, problems: ReadonlyArray<RowProblem>): string {
  const shape = value !== null && typeof value === 'object' ? value : {};
  const schema =
    'messages' in shape
      ? ChatRowSchema
      : 'chosen' in shape
        ? PreferenceRowSchema
        : 'label' in shape
          ? KtoRowSchema
          : 'text' in shape
            ? TextRowSchema
            : null;
  const issues = schema?.safeParse(value).error?.issues;
  if (schema === null) {
    return 'a row is an object with `messages` (a conversation), `prompt` + `chosen` + `rejected`, `prompt` + `completion` + `label`, or `text`';
  }
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
    private readonly rows: DatasetRowsRepository,
    private readonly datasets: DatasetsRepository,
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
    this.rows.transaction(() => {
      const before = this.rows.rowState(datasetId, rowId);
      if (!before) throw new AppError('NOT_FOUND', `Row ${rowId} is not in dataset ${datasetId}.`);
      const valid = problems.length === 0 ? 1 : 0;
      this.rows.edit(
        rowId,
        {
          canonicalJson: JSON.stringify(row),
          valid: valid === 1,
          problemsJson: JSON.stringify(problems),
          charLength: rowText(row).length,
          turns: Math.max(0, ...conversationsOf(row).map((c) => c.length)),
          contentHash: contentHash(row),
        },
        ts,
      );
      if (before.deletedAt === null && before.valid !== valid) {
        this.datasets.adjustCounts(datasetId, valid - before.valid, before.valid - valid, ts);
      }
    });
    this.query.invalidate(datasetId, ['content']);
    const view = this.query.row(datasetId, rowId);
    if (!view) throw new AppError('NOT_FOUND', `Row ${rowId} is not in dataset ${datasetId}.`);
    return view;
  }

  /**
   * Soft delete (or restore) the selected rows; returns how many rows changed state. The selection
   * is resolved to ids once, then written a slice at a time (SliceRunner), each slice its own
   * transaction with the dataset's counts moved in it, so no other writer waits on the whole edit.
   */
  async setDeleted(
    datasetId: string,
    selection: RowSelection,
    deleted: boolean,
    control: ScanControl = {},
  ): Promise<number> {
    const ts = this.now();
    const ids = this.selectedIds(datasetId, selection);
    const runner = new SliceRunner(ids.length, control);
    await runner.run(ids, (slice) => {
      const changes = this.rows.transaction(() => {
        const selected = idsSelection(slice);
        const affected = this.rows.countSelected(datasetId, selected, deleted);
        if (affected.n === 0) return 0;
        const sign = deleted ? -1 : 1;
        this.datasets.adjustCounts(
          datasetId,
          sign * affected.valid,
          sign * (affected.n - affected.valid),
          ts,
        );
        return this.rows.setDeleted(datasetId, selected, deleted, ts);
      });
      if (changes > 0) this.query.invalidate(datasetId, ['live']);
      return changes;
    });
    return runner.changes;
  }

  /**
   * Add and remove tags on the selected rows (tags kept unique and sorted); returns rows changed.
   * Written in slices like setDeleted, with the same progress and cancel.
   */
  async tag(
    datasetId: string,
    selection: RowSelection,
    add: ReadonlyArray<string>,
    remove: ReadonlyArray<string>,
    control: ScanControl = {},
  ): Promise<number> {
    if (add.length === 0 && remove.length === 0) return 0;
    const ts = this.now();
    const ids = this.selectedIds(datasetId, selection);
    const runner = new SliceRunner(ids.length, control);
    await runner.run(ids, (slice) => {
      const changes = this.rows.tag(datasetId, idsSelection(slice), add, remove, ts);
      if (changes > 0) this.query.invalidate(datasetId, ['tags']);
      return changes;
    });
    return runner.changes;
  }

  /** The selection's ids, read once before any write. */
  private selectedIds(datasetId: string, selection: RowSelection): ReadonlyArray<number> {
    if (selection.rowIds !== undefined) return selection.rowIds;
    const selected = this.query.selection(datasetId, selection.filter ?? {});
    return selected === null ? [] : this.query.ids(selected);
  }
}
