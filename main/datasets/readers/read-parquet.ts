import { type FileHandle, open } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import {
  type AsyncBuffer,
  type Compressors,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  snappyUncompress,
} from 'hyparquet';
import { AppError } from '../../errors';
import { mapColumns } from './column-mapping';
import { formatBytes, formatCount, type RecordBatches, type SourceRecord } from './source-record';

/** The most a row group may expand to in memory; more is refused as a likely compression bomb. */
export const DEFAULT_MAX_ROW_GROUP_BYTES = 1024 * 1024 * 1024;
const ROWS_PER_BATCH = 2000;

/** A Parquet file opened for reading: one file handle, its footer, its top-level columns. */
export interface OpenParquet {
  readonly file: AsyncBuffer;
  readonly metadata: FileMetaData;
  readonly columns: string[];
  readonly numRows: number;
  close(): Promise<void>;
}

/** Open a Parquet file and read its footer; a damaged footer is a clear error. */
export async function openParquet(
  path: string,
  maxSliceBytes = DEFAULT_MAX_ROW_GROUP_BYTES,
): Promise<OpenParquet> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size < 12)
      throw new AppError('BAD_INPUT', `this is not a Parquet file: it is only ${size} bytes long`);
    const file = fileBuffer(handle, size, maxSliceBytes);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(file);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw new AppError(
        'BAD_INPUT',
        `this Parquet file is damaged: its footer cannot be read (${(error as Error).message})`,
      );
    }
    const columns = (parquetSchema(metadata).children ?? []).map((c) => c.element.name);
    return { file, metadata, columns, numRows: Number(metadata.num_rows), close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** An AsyncBuffer over one file handle: every slice is checked against the file and the limit. */
function fileBuffer(handle: FileHandle, size: number, maxSliceBytes: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      if (!(start >= 0 && end <= size && start <= end)) {
        throw new AppError(
          'BAD_INPUT',
          `this Parquet file is damaged: it points at bytes ${start}–${end} of a ${formatCount(size)}-byte file`,
        );
      }
      if (end - start > maxSliceBytes)
        throw bomb(`a column chunk of ${formatBytes(end - start)}`, maxSliceBytes);
      const bytes = new Uint8Array(end - start);
      let done = 0;
      while (done < bytes.length) {
        const { bytesRead } = await handle.read(bytes, done, bytes.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return bytes.buffer;
    },
  };
}

function bomb(what: string, limit: number): AppError {
  return new AppError(
    'BAD_INPUT',
    `this Parquet file would expand to ${what}, more than the ${formatBytes(limit)} limit per row group; ` +
      'it may be a compression bomb (if not, rewrite it with smaller row groups)',
  );
}

/** Decompressors that refuse to allocate past what is left of the row group's budget. */
function guardedCompressors(budget: { left: number; limit: number }): Compressors {
  const take = (n: number): void => {
    if (n > budget.left) throw bomb(`more than ${formatBytes(budget.limit)}`, budget.limit);
    budget.left -= n;
  };
  const compressors: Compressors = {
    SNAPPY: (input, n) => {
      take(n);
      const out = new Uint8Array(n);
      snappyUncompress(input, out);
      return out;
    },
    GZIP: (input, n) => {
      take(n);
      return zlib.gunzipSync(input, { maxOutputLength: Math.max(1, n) });
    },
    BROTLI: (input, n) => {
      take(n);
      return zlib.brotliDecompressSync(input, { maxOutputLength: Math.max(1, n) });
    },
  };
  // Node ≥ 22.15 (Electron's) has zstd; Node 20 does not, and hyparquet then names the codec.
  const zstd = (zlib as unknown as Record<string, unknown>).zstdDecompressSync;
  if (typeof zstd === 'function') {
    compressors.ZSTD = (input, n) => {
      take(n);
      return (zstd as (b: Uint8Array, o: object) => Uint8Array)(input, { maxOutputLength: Math.max(1, n) });
    };
  }
  return compressors;
}

/** A Parquet value as plain JSON: 64-bit integers as numbers (or strings past 2^53), dates as ISO text. */
export function toPlain(value: unknown): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(toPlain);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

export interface ParquetReadOptions {
  readonly mapping?: Readonly<Record<string, string>>;
  readonly maxRowGroupBytes?: number;
  /** Called after each row group with the compressed bytes read so far (for progress). */
  readonly onBytes?: (bytesDone: number) => void;
}

/**
 * Rows of an open Parquet file, one row group at a time (memory grows with the largest row group,
 * never the file). Each group's declared size and each page's decompressed size count against the
 * limit before anything is allocated, so a compression bomb is refused with a clear error.
 */
export async function* readParquet(parquet: OpenParquet, options: ParquetReadOptions = {}): RecordBatches {
  const limit = options.maxRowGroupBytes ?? DEFAULT_MAX_ROW_GROUP_BYTES;
  const { metadata, columns } = parquet;
  let groupStart = 0;
  let bytesDone = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const rows = Number(group.num_rows);
    const declared = group.columns.reduce(
      (sum, c) => sum + Number(c.meta_data?.total_uncompressed_size ?? 0),
      0,
    );
    if (Math.max(declared, Number(group.total_byte_size)) > limit) {
      throw bomb(
        `${formatBytes(Math.max(declared, Number(group.total_byte_size)))} (row group ${g + 1})`,
        limit,
      );
    }
    const budget = { left: limit, limit };
    let data: unknown[][] = [];
    try {
      await parquetRead({
        file: parquet.file,
        metadata,
        rowStart: groupStart,
        rowEnd: groupStart + rows,
        rowFormat: 'array',
        compressors: guardedCompressors(budget),
        onComplete: (result: unknown[][]) => {
          data = result;
        },
      });
    } catch (error) {
      throw groupError(error, g);
    }
    for (let i = 0; i < data.length; i += ROWS_PER_BATCH) {
      yield data.slice(i, i + ROWS_PER_BATCH).map((row) => parquetRecord(row, columns, options.mapping));
    }
    data = [];
    groupStart += rows;
    bytesDone += group.columns.reduce((sum, c) => sum + Number(c.meta_data?.total_compressed_size ?? 0), 0);
    options.onBytes?.(bytesDone);
  }
}

function parquetRecord(
  row: ReadonlyArray<unknown>,
  columns: ReadonlyArray<string>,
  mapping: Readonly<Record<string, string>> | undefined,
): SourceRecord {
  const record = Object.fromEntries(columns.map((name, i) => [name, toPlain(row[i])]));
  return {
    lineNumber: null,
    value: mapColumns(record, mapping),
    originalJson: JSON.stringify(record),
    problem: null,
  };
}

function groupError(error: unknown, group: number): AppError {
  if (error instanceof AppError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const codec = /unsupported compression codec: (\w+)/.exec(message)?.[1];
  if (codec) {
    return new AppError(
      'BAD_INPUT',
      `this Parquet file uses ${codec} compression, which is not supported here; rewrite it with snappy or gzip`,
    );
  }
  return new AppError('BAD_INPUT', `row group ${group + 1} of this Parquet file is damaged (${message})`);
}
