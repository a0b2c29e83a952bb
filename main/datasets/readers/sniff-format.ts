import { isUtf8 } from 'node:buffer';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { DatasetFormat } from '../../../preload/contract';
import { ROW_ARRAY_FIELDS } from './json-array-splitter';
import type { CsvDelimiter } from './read-csv';
import { isObject } from './row-fields';
import {
  detectEncoding,
  type EncodingDetection,
  firstInvalidUtf8,
  incompleteUtf8Tail,
  invalidUtf8,
} from './text-encoding';

/** How much of the file format sniffing reads. */
export const SNIFF_BYTES = 1024 * 1024;

const EXTENSIONS: Readonly<Record<string, DatasetFormat>> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.txt': 'txt',
  '.text': 'txt',
};

/** The format a file name suggests, or null. */
export function formatFromExtension(path: string): DatasetFormat | null {
  return EXTENSIONS[extname(path).toLowerCase()] ?? null;
}

/** What the start of a JSON text looks like: its first value, whether it closes and what follows. */
export interface JsonLayout {
  readonly first: '[' | '{' | 'other' | 'none';
  /** The first top-level value ends within the text. */
  readonly closed: boolean;
  /** Another top-level value follows the first one (so: JSON lines). */
  readonly more: boolean;
}

/** Scan the head of a JSON text for the extent of its first top-level value. */
export function jsonLayout(text: string): JsonLayout {
  const start = text.search(/\S/);
  if (start === -1) return { first: 'none', closed: false, more: false };
  const c = text[start];
  if (c !== '[' && c !== '{') return { first: 'other', closed: false, more: false };
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = start; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === 0x5c) escaped = true;
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x7b || ch === 0x5b) depth++;
    else if ((ch === 0x7d || ch === 0x5d) && --depth === 0) {
      return { first: c, closed: true, more: /\S/.test(text.slice(i + 1)) };
    }
  }
  return { first: c, closed: false, more: false };
}

/** The member of an object that holds the rows: same rule as JsonArraySplitter. */
export function rowsContainerKey(value: unknown): string | null {
  if (!isObject(value)) return null;
  for (const [key, member] of Object.entries(value)) {
    if (ROW_ARRAY_FIELDS.has(key) || !Array.isArray(member)) continue;
    if (isObject(member[0])) return key;
  }
  return null;
}

/** Pick the delimiter that splits the first records most consistently into the same number (> 0) of fields. */
export function sniffDelimiter(text: string, fallback: CsvDelimiter = ','): CsvDelimiter {
  const candidates: CsvDelimiter[] = [',', '\t', ';', '|'];
  const records: Array<Map<string, number>> = [new Map()];
  let inQuotes = false;
  for (let i = 0; i < text.length && records.length <= 50; i++) {
    const ch = text[i]!;
    if (ch === '"') inQuotes = !inQuotes;
    else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      records.push(new Map());
    } else if (!inQuotes && (candidates as string[]).includes(ch)) {
      const counts = records.at(-1)!;
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  // The last record may be cut off by the end of the head; records without any candidate are blank lines.
  const sample = (records.length > 1 ? records.slice(0, -1) : records).filter((r) => r.size > 0);
  let best = fallback;
  let bestScore = 0;
  for (const d of candidates) {
    const counts = sample.map((r) => r.get(d) ?? 0);
    const first = counts[0] ?? 0;
    if (first === 0) continue;
    const score = counts.filter((n) => n === first).length / counts.length;
    if (score > bestScore) {
      bestScore = score;
      best = d;
    }
  }
  return best;
}

/** What sniffing a file found: its format (with notes on why), its encoding and its decoded head. */
export interface FileSniff {
  readonly format: DatasetFormat;
  readonly encoding: EncodingDetection;
  readonly notes: string[];
  /** The first SNIFF_BYTES decoded (for CSV delimiters and previews). */
  readonly headText: string;
  /** Whether the head is the whole file. */
  readonly complete: boolean;
}

const FORMAT_NOUN: Readonly<Record<DatasetFormat, string>> = {
  jsonl: 'JSON lines',
  json: 'JSON',
  csv: 'CSV',
  tsv: 'TSV',
  parquet: 'Parquet',
  txt: 'text',
};

/** The format in words for messages ("not JSON lines"). */
export function formatNoun(format: DatasetFormat): string {
  return FORMAT_NOUN[format];
}

/**
 * Read the start of a file and decide its format: the one asked for, else Parquet by its magic
 * bytes, else the extension corrected by the content (a JSON array named .jsonl is read as JSON;
 * several JSON values in a .json file as JSON lines; a single object with no array of rows as one row).
 */
export async function sniffFile(path: string, size: number, requested?: DatasetFormat): Promise<FileSniff> {
  const handle = await open(path, 'r');
  const head = Buffer.alloc(Math.min(size, SNIFF_BYTES));
  try {
    await handle.read(head, 0, head.length, 0);
  } finally {
    await handle.close();
  }
  const complete = size <= SNIFF_BYTES;
  const isParquet = head.subarray(0, 4).toString('latin1') === 'PAR1';
  const byExtension = formatFromExtension(path);
  if (requested === 'parquet' || (!requested && isParquet)) {
    const notes =
      !requested && byExtension !== 'parquet' ? ['the file is Parquet (it starts with PAR1)'] : [];
    return {
      format: 'parquet',
      encoding: { encoding: 'utf-8', bomLength: 0 },
      notes,
      headText: '',
      complete,
    };
  }
  const notes: string[] = [];
  const ext = byExtension === 'parquet' && !requested ? null : byExtension;
  if (ext !== byExtension) notes.push('the file is named .parquet but is not Parquet (no PAR1 magic bytes)');
  const guess = requested ?? ext ?? 'jsonl';
  const encoding = detectEncoding(head, formatNoun(guess));
  const headText = decodeHead(head, encoding, complete);
  if (requested) return { format: requested, encoding, notes: [], headText, complete };
  const format = contentFormat(headText, ext, complete, notes);
  return { format, encoding, notes, headText, complete };
}

function contentFormat(
  text: string,
  ext: DatasetFormat | null,
  complete: boolean,
  notes: string[],
): DatasetFormat {
  if (ext && ext !== 'json' && ext !== 'jsonl') return ext;
  const layout = jsonLayout(text);
  if (layout.first === '[') {
    if (layout.closed && layout.more) return 'jsonl';
    if (ext === 'jsonl') notes.push('the file holds one JSON array, not JSON lines: read it as a JSON array');
    return 'json';
  }
  if (layout.first === '{') {
    if (layout.closed && layout.more) {
      if (ext === 'json') notes.push('the file holds one JSON value per line: read it as JSON lines');
      return 'jsonl';
    }
    if (layout.closed && complete && ext !== 'jsonl') {
      let key: string | null = null;
      try {
        key = rowsContainerKey(JSON.parse(text));
      } catch {
        key = null;
      }
      if (key === null) {
        notes.push('the file holds a single JSON object: read it as one row');
        return 'jsonl';
      }
      return 'json';
    }
    return ext ?? 'jsonl';
  }
  if (ext) return ext;
  const lines = text.split(/\r\n|\n|\r/, 6).filter((l) => l.trim() !== '');
  const delimiter = sniffDelimiter(text);
  const consistent =
    lines.length >= 2 && lines.every((l) => l.split(delimiter).length === lines[0]!.split(delimiter).length);
  return consistent && lines[0]!.includes(delimiter) ? (delimiter === '\t' ? 'tsv' : 'csv') : 'txt';
}

function decodeHead(head: Buffer, detection: EncodingDetection, complete: boolean): string {
  const body = head.subarray(detection.bomLength);
  if (detection.encoding === 'utf-16le' || detection.encoding === 'utf-16be') {
    const even = body.subarray(0, body.length & ~1);
    return new TextDecoder(detection.encoding).decode(even);
  }
  const usable = complete ? body : body.subarray(0, body.length - incompleteUtf8Tail(body));
  if (!isUtf8(usable)) throw invalidUtf8(detection.bomLength + Math.max(0, firstInvalidUtf8(usable)));
  return usable.toString('utf8');
}
