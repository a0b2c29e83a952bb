import { JsonArraySplitter } from './json-array-splitter';
import { jsonRecord } from './read-json-lines';
import type { RecordBatches, SourceRecord } from './source-record';

/** What the JSON array reader found out about the file's layout, filled in as it reads. */
export interface JsonArrayLayout {
  containerKey: string | null;
}

/**
 * A JSON file holding an array of rows, or an object holding one (`{"data": [...]}`), streamed
 * element by element (a 2 GB array never becomes a 2 GB string). A file cut off inside the array
 * ends with one invalid row saying so.
 */
export async function* readJsonArray(chunks: AsyncIterable<Buffer>, layout?: JsonArrayLayout): RecordBatches {
  const splitter = new JsonArraySplitter();
  let batch: SourceRecord[] = [];
  const onElement = (bytes: Buffer, lineNumber: number): void => {
    const text = bytes.toString('utf8');
    const cutOff = splitter.cutOffAt;
    const record = jsonRecord(text, lineNumber) ?? {
      lineNumber,
      value: undefined,
      originalJson: '""',
      problem: {
        path: '$',
        message: `the JSON is cut off: the file ends at byte ${cutOff} inside the array`,
      },
    };
    // The last element may parse on its own while the file still lacks its closing `]`: a file cut
    // off right after a row must not import silently, so that row is flagged with where it ended.
    if (cutOff !== null) {
      const message =
        record.problem === null
          ? `the file ends at byte ${cutOff} without the array's closing \`]\`: it looks cut off, so this last row may be incomplete`
          : record.problem.message.includes(`byte ${cutOff}`)
            ? record.problem.message
            : `${record.problem.message}; the file ends at byte ${cutOff} inside the array`;
      batch.push({ ...record, problem: { path: record.problem?.path ?? '$', message } });
      return;
    }
    batch.push(record);
  };
  for await (const chunk of chunks) {
    splitter.push(chunk, onElement);
    if (layout) layout.containerKey = splitter.containerKey;
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  splitter.end(onElement);
  if (batch.length > 0) yield batch;
}
