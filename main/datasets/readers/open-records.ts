import type { z } from 'zod';
import type { CsvOptionsSchema, DatasetFormat } from '../../../preload/contract';
import { type CsvDelimiter, type CsvLayout, readCsv } from './read-csv';
import { readFileChunks } from './read-file-chunks';
import { type JsonArrayLayout, readJsonArray } from './read-json-array';
import { readJsonLines } from './read-json-lines';
import { openParquet, readParquet } from './read-parquet';
import { readTextLines } from './read-text-lines';
import { type FileSniff, formatNoun, sniffDelimiter } from './sniff-format';
import type { RecordBatches } from './source-record';
import { type TextEncoding, toUtf8Chunks } from './text-encoding';

/** CSV/TSV import options as the contract declares them. */
export type CsvOptions = z.infer<typeof CsvOptionsSchema>;

export interface OpenRecordsOptions {
  readonly csv?: CsvOptions;
  /** Sees every raw chunk read from disk once (hash, copy, progress); not called for Parquet. */
  readonly tap?: (chunk: Buffer) => void;
  /** Parquet: compressed bytes read so far, after each row group. */
  readonly onParquetBytes?: (bytes: number) => void;
  readonly maxRowGroupBytes?: number;
  /** Read at most this many bytes of a text file (a preview); the last row may then be cut off. */
  readonly maxBytes?: number;
}

/** A file opened as batches of source records, with what reading it has found out so far. */
export interface RecordSource {
  readonly format: DatasetFormat;
  readonly encoding: TextEncoding;
  readonly delimiter: CsvDelimiter | null;
  /** Column names (CSV/TSV after the header, Parquet at once); null for JSON and text. */
  readonly columns: string[] | null;
  /** Notes on how the file was read (format corrections, renamed columns, the rows' container). */
  readonly notes: string[];
  /** Rows the file declares up front (Parquet), else null. */
  readonly declaredRows: number | null;
  readonly batches: RecordBatches;
  close(): Promise<void>;
}

/** Open a sniffed file with the reader for its format. Reading starts when `batches` is iterated. */
export async function openRecords(
  path: string,
  sniff: FileSniff,
  options: OpenRecordsOptions = {},
): Promise<RecordSource> {
  const { format } = sniff;
  const encoding = sniff.encoding.encoding;
  if (format === 'parquet') {
    const parquet = await openParquet(path, options.maxRowGroupBytes);
    return {
      format,
      encoding,
      delimiter: null,
      columns: parquet.columns,
      notes: sniff.notes,
      declaredRows: parquet.numRows,
      batches: readParquet(parquet, {
        mapping: options.csv?.mapping,
        maxRowGroupBytes: options.maxRowGroupBytes,
        onBytes: options.onParquetBytes,
      }),
      close: () => parquet.close(),
    };
  }
  const raw = readFileChunks(path, options.tap, undefined, options.maxBytes);
  const text = toUtf8Chunks(raw, sniff.encoding, formatNoun(format), options.maxBytes !== undefined);
  const base = { format, encoding, declaredRows: null, close: async () => {} };
  switch (format) {
    case 'csv':
    case 'tsv': {
      const delimiter = options.csv?.delimiter ?? (format === 'tsv' ? '\t' : sniffDelimiter(sniff.headText));
      const layout: CsvLayout = { columns: null, notes: [] };
      return {
        ...base,
        delimiter,
        get columns() {
          return layout.columns;
        },
        get notes() {
          return [...sniff.notes, ...layout.notes];
        },
        batches: readCsv(text, { delimiter, mapping: options.csv?.mapping, layout }),
      };
    }
    case 'json': {
      const layout: JsonArrayLayout = { containerKey: null };
      return {
        ...base,
        delimiter: null,
        columns: null,
        get notes() {
          return layout.containerKey === null
            ? sniff.notes
            : [...sniff.notes, `rows read from the \`${layout.containerKey}\` array`];
        },
        batches: readJsonArray(text, layout),
      };
    }
    case 'jsonl':
      return { ...base, delimiter: null, columns: null, notes: sniff.notes, batches: readJsonLines(text) };
    case 'txt':
      return { ...base, delimiter: null, columns: null, notes: sniff.notes, batches: readTextLines(text) };
  }
}
