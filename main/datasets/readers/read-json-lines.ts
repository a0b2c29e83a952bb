import { LineSplitter } from './line-splitter';
import { parseJsonText } from './parse-json-text';
import type { RecordBatches, SourceRecord } from './source-record';

/** A row's JSON text as a record; blank text is no row (null). */
export function jsonRecord(text: string, lineNumber: number | null): SourceRecord | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  const parsed = parseJsonText(trimmed);
  return parsed.ok
    ? { lineNumber, value: parsed.value, originalJson: trimmed, problem: null }
    : { lineNumber, value: undefined, originalJson: JSON.stringify(trimmed), problem: parsed.problem };
}

/**
 * JSON lines: one row per non-blank line, any line ending, exact line numbers (blank lines are
 * skipped but counted). A line that does not parse is a row with its problem, never a failed import.
 */
export async function* readJsonLines(chunks: AsyncIterable<Buffer>): RecordBatches {
  const splitter = new LineSplitter();
  let batch: SourceRecord[] = [];
  const onLine = (line: Buffer, lineNumber: number): void => {
    const record = jsonRecord(line.toString('utf8'), lineNumber);
    if (record) batch.push(record);
  };
  for await (const chunk of chunks) {
    splitter.push(chunk, onLine);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end(onLine);
  if (batch.length > 0) yield batch;
}
