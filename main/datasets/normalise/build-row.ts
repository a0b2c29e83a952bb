import type { NewDatasetRow } from '../../../db/repositories/dataset-rows-repository';
import {
  type CanonicalRow,
  conversationsOf,
  type DatasetShape,
  messageSectionsOf,
  type RowProblem,
} from '../../../preload/contract';
import type { SourceRecord } from '../readers/source-record';
import { formatCount } from '../readers/source-record';
import { contentHash, rowText } from './content-hash';
import { normaliseRow } from './normalise-row';
import { validateCanonicalRow } from './validate-canonical';

/** At most this many problems are stored per row; the rest are counted in one last problem. */
const MAX_PROBLEMS = 20;

/**
 * A source record as a dataset row: normalised, validated, hashed and measured. Invalid rows are
 * kept with their problems (canonical may be null), never dropped. Recursion limits (a row nested
 * too deep for JSON.stringify) become a problem of that row, not a failed import.
 */
export function buildRow(record: SourceRecord, rowIndex: number, shape: DatasetShape): NewDatasetRow {
  const problems: RowProblem[] = record.problem ? [record.problem] : [];
  if (record.value === undefined) return invalidRow(record, rowIndex, problems);
  try {
    const normalised = normaliseRow(record.value, shape);
    problems.push(...normalised.problems);
    if (normalised.canonical === null) return invalidRow(record, rowIndex, problems);
    const { row, problems: found } = validateCanonicalRow(normalised.canonical);
    problems.push(...found);
    if (row === null) return invalidRow(record, rowIndex, problems);
    const canonicalJson = JSON.stringify(row);
    const text = rowText(row);
    return {
      rowIndex,
      lineNumber: record.lineNumber,
      originalJson: record.originalJson,
      canonicalJson,
      valid: problems.length === 0,
      problemsJson: problemsJson(problems),
      charLength: text.length,
      turns: Math.max(0, ...conversationsOf(row).map((c) => c.length)),
      contentHash: contentHash(row),
      // What the search index holds for the row (dataset_rows_search_text), made once here.
      search: searchOf(row),
    };
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    return invalidRow(record, rowIndex, [
      ...problems,
      { path: '$', message: 'the row is nested too deep to process' },
    ]);
  }
}

function invalidRow(record: SourceRecord, rowIndex: number, problems: RowProblem[]): NewDatasetRow {
  return {
    rowIndex,
    lineNumber: record.lineNumber,
    originalJson: record.originalJson,
    canonicalJson: null,
    valid: false,
    problemsJson: problemsJson(problems),
    charLength: 0,
    turns: 0,
    contentHash: null,
  };
}

function problemsJson(problems: ReadonlyArray<RowProblem>): string {
  if (problems.length === 0) return '[]';
  if (problems.length <= MAX_PROBLEMS) return JSON.stringify(problems);
  const kept = problems.slice(0, MAX_PROBLEMS - 1);
  const more = problems.length - kept.length;
  return JSON.stringify([...kept, { path: '$', message: `and ${formatCount(more)} more problems` }]);
}

/** A problem as one sentence with its place in the file: "line 1,204: `messages[2].role` is `bot`; …". */
export function describeProblem(problem: RowProblem, lineNumber: number | null, rowIndex: number): string {
  return `${rowLabel(lineNumber, rowIndex)}: ${problem.message}`;
}

/**
 * A row's one visible identity, the same in every view and in the CLI: its source line ("line 1,204"),
 * what a researcher can find in their file, or "row 12" for formats without lines (Parquet).
 */
export function rowLabel(lineNumber: number | null, rowIndex: number): string {
  return lineNumber !== null ? `line ${formatCount(lineNumber)}` : `row ${formatCount(rowIndex + 1)}`;
}

/**
 * What the search index holds for a row, exactly as the `dataset_rows_search_text` view computes it
 * (so rows indexed at import and rows re-indexed after an edit agree): the messages' contents of
 * every section (prompt, chosen, rejected, completion) one per line, or the text; the distinct roles.
 */
function searchOf(row: CanonicalRow): { readonly text: string; readonly roles: string } {
  if ('text' in row) return { text: row.text, roles: '' };
  const messages = messageSectionsOf(row).flatMap(([, section]) => section);
  return {
    text: messages.map((m) => m.content).join('\n'),
    roles: [...new Set(messages.map((m) => m.role))].join(','),
  };
}
