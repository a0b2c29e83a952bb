import { parse } from 'csv-parse';
import { AppError } from '../../errors';
import { checkMapping, mapColumns, uniqueColumnNames } from './column-mapping';
import { formatBytes, formatCount, type RecordBatches, type SourceRecord } from './source-record';

/** A CSV record is refused past this size: it almost always means a quote that is never closed. */
export const MAX_CSV_RECORD_BYTES = 64 * 1024 * 1024;

export type CsvDelimiter = ',' | ';' | '\t' | '|';

/** What the CSV reader found out about the table, filled in as it reads. */
export interface CsvLayout {
  columns: string[] | null;
  readonly notes: string[];
}

export interface CsvReadOptions {
  readonly delimiter: CsvDelimiter;
  /** Field of the shape → column name; without it the columns are the fields. */
  readonly mapping?: Readonly<Record<string, string>>;
  readonly layout?: CsvLayout;
}

interface CsvInfo {
  /** Bytes consumed when the record was emitted: the end of the record and its line break. */
  readonly bytes: number;
}
type CsvPush = (entry: { record: string[]; info: CsvInfo }) => void;
/** csv-parse's push API (what its stream and sync wrappers call): no stream, no await per record. */
interface CsvPushParser {
  parse(chunk: Buffer | undefined, end: boolean, push: CsvPush, close: () => void): Error | undefined;
}

/**
 * CSV/TSV with csv-parse: quoted delimiters and embedded newlines, any line ending, blank lines
 * skipped. The first record is the header (duplicate or empty names made unique, with a note).
 * Ragged records are kept as rows with a problem naming their line; formula cells (`=cmd|…`) are
 * plain text, never evaluated. A quote that is never closed is an error naming its line.
 */
export async function* readCsv(chunks: AsyncIterable<Buffer>, options: CsvReadOptions): RecordBatches {
  const layout = options.layout ?? { columns: null, notes: [] };
  const parser = (
    parse({
      delimiter: options.delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
      max_record_size: MAX_CSV_RECORD_BYTES,
    }) as unknown as { api: CsvPushParser }
  ).api;
  let header: string[] | null = null;
  const lines = new LineTracker();
  let batch: SourceRecord[] = [];
  const push: CsvPush = ({ record, info }) => {
    const startLine = lines.nextRecordLine();
    lines.recordEndsAt(info.bytes);
    if (header === null) {
      const unique = uniqueColumnNames(record);
      header = unique.names;
      layout.columns = header;
      layout.notes.push(...unique.notes);
      if (options.mapping) checkMapping(options.mapping, header);
      return;
    }
    batch.push(tableRecord(header, record, startLine, options.mapping));
  };
  const run = (chunk: Buffer | undefined, end: boolean): void => {
    if (chunk) lines.add(chunk);
    const error = parser.parse(chunk, end, push, () => {});
    if (error) throw csvError(error, lines.nextRecordLine());
  };
  for await (const chunk of chunks) {
    run(chunk, false);
    if (batch.length > 0) {
      yield batch;
      batch = [];
    }
  }
  run(undefined, true);
  if (batch.length > 0) yield batch;
}

function tableRecord(
  header: ReadonlyArray<string>,
  fields: ReadonlyArray<string>,
  lineNumber: number,
  mapping: Readonly<Record<string, string>> | undefined,
): SourceRecord {
  const row = Object.fromEntries(header.map((name, i) => [name, fields[i] ?? '']));
  const extra = fields.slice(header.length);
  const original = extra.length > 0 ? { ...row, _extra: extra } : row;
  return {
    lineNumber,
    value: mapColumns(row, mapping),
    originalJson: JSON.stringify(original),
    problem:
      fields.length === header.length
        ? null
        : {
            path: '$',
            message: `${formatCount(fields.length)} fields, expected ${formatCount(header.length)} (as in the header)`,
          },
  };
}

/**
 * Line numbers of records from the byte offsets csv-parse reports: it counts a CRLF inside a
 * quoted field as two lines, so lines are counted here (LF, CRLF or a lone CR), and the blank lines
 * csv-parse skips are stepped over to find where the next record starts.
 */
class LineTracker {
  private readonly chunks: Buffer[] = [];
  private offsetInChunk = 0;
  private line = 1;
  private prevCR = false;
  private recordEnd = 0;
  private pos = 0;

  add(chunk: Buffer): void {
    this.chunks.push(chunk);
  }

  recordEndsAt(bytes: number): void {
    this.recordEnd = bytes;
  }

  /** The line of the first byte after the last record's end that is not a line break. */
  nextRecordLine(): number {
    while (this.pos < this.recordEnd) this.step();
    for (;;) {
      const c = this.peek();
      if (c !== 0x0a && c !== 0x0d) return this.line;
      this.step();
    }
  }

  private peek(): number | undefined {
    for (let chunk = this.chunks[0]; chunk !== undefined; chunk = this.chunks[0]) {
      if (this.offsetInChunk < chunk.length) return chunk[this.offsetInChunk];
      this.chunks.shift();
      this.offsetInChunk = 0;
    }
    return undefined;
  }

  private step(): void {
    const c = this.peek();
    if (c === undefined) {
      this.pos = this.recordEnd;
      return;
    }
    if (c === 0x0a) {
      if (!this.prevCR) this.line++;
      this.prevCR = false;
    } else if (c === 0x0d) {
      this.line++;
      this.prevCR = true;
    } else {
      this.prevCR = false;
    }
    this.offsetInChunk++;
    this.pos++;
  }
}

function csvError(error: Error, nextLine: number): AppError {
  const { code, lines } = error as Error & { code?: string; lines?: number };
  const line = formatCount(code === 'CSV_QUOTE_NOT_CLOSED' || lines === undefined ? nextLine : lines);
  if (code === 'CSV_QUOTE_NOT_CLOSED') {
    return new AppError(
      'BAD_INPUT',
      `line ${line}: a quoted field is never closed (the file ends inside it)`,
    );
  }
  if (code === 'CSV_MAX_RECORD_SIZE') {
    return new AppError(
      'BAD_INPUT',
      `line ${line}: a record is larger than ${formatBytes(MAX_CSV_RECORD_BYTES)}; probably a quote that is never closed`,
    );
  }
  return new AppError('BAD_INPUT', `line ${line}: ${error.message}`);
}
