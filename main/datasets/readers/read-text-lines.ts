import { LineSplitter } from './line-splitter';
import type { RecordBatches, SourceRecord } from './source-record';

/**
 * A `.txt` file: one `text` row per non-empty line (whitespace-only lines are skipped but counted,
 * so line numbers stay exact). The line is kept as written, without its line break.
 */
export async function* readTextLines(chunks: AsyncIterable<Buffer>): RecordBatches {
  const splitter = new LineSplitter();
  let batch: SourceRecord[] = [];
  const onLine = (line: Buffer, lineNumber: number): void => {
    const text = line.toString('utf8');
    if (text.trim() === '') return;
    batch.push({ lineNumber, value: text, originalJson: JSON.stringify(text), problem: null });
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
