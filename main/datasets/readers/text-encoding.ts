import { isUtf8 } from 'node:buffer';
import type { DatasetInspection } from '../../../preload/contract';
import { AppError } from '../../errors';
import { formatCount } from './source-record';

/** The text encodings a dataset file may have; anything else is refused with a clear message. */
export type TextEncoding = DatasetInspection['encoding'];

/** What the first bytes of a text file say about its encoding. */
export interface EncodingDetection {
  readonly encoding: TextEncoding;
  readonly bomLength: number;
}

/**
 * The encoding from the byte-order mark: UTF-8 (with or without BOM), UTF-16 LE/BE (BOM only).
 * UTF-32 and BOM-less UTF-16 are refused, the latter with a hint (it shows as NULs every other byte).
 */
export function detectEncoding(head: Uint8Array, what = 'text'): EncodingDetection {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    assertNoNul(head.subarray(3), 3, what);
    return { encoding: 'utf-8-bom', bomLength: 3 };
  }
  if (head[0] === 0xff && head[1] === 0xfe) {
    if (head[2] === 0 && head[3] === 0) {
      throw new AppError('BAD_INPUT', 'this file is UTF-32, which is not supported: save it as UTF-8');
    }
    return { encoding: 'utf-16le', bomLength: 2 };
  }
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  assertNoNul(head, 0, what);
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Refuse bytes holding a NUL: binary data, or UTF-16 without a byte-order mark. */
export function assertNoNul(bytes: Uint8Array, fileOffset: number, what: string): void {
  const at = bytes.indexOf(0);
  if (at === -1) return;
  if (fileOffset === 0 && looksLikeUtf16(bytes)) {
    throw new AppError(
      'BAD_INPUT',
      'this looks like UTF-16 text without a byte-order mark: save it as UTF-8 (or UTF-16 with a BOM)',
    );
  }
  throw new AppError(
    'BAD_INPUT',
    `this looks like a binary file (NUL bytes at byte ${formatCount(fileOffset + at)}), not ${what}`,
  );
}

function looksLikeUtf16(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return false;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  return (evenNul > pairs * 0.4 && oddNul < pairs * 0.05) || (oddNul > pairs * 0.4 && evenNul < pairs * 0.05);
}

/** Bytes at the end of `bytes` that start a UTF-8 sequence the next chunk completes. */
export function incompleteUtf8Tail(bytes: Uint8Array): number {
  const len = bytes.length;
  for (let i = 1; i <= Math.min(3, len); i++) {
    const b = bytes[len - i]!;
    if ((b & 0xc0) === 0x80) continue;
    if (b < 0xc0) return 0;
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
    return need > i ? i : 0;
  }
  return 0;
}

/** Index of the first byte of the first invalid UTF-8 sequence, or -1 (only called after isUtf8 fails). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= n) return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

/** The error for invalid UTF-8 at a byte offset of the file. */
export function invalidUtf8(offset: number): AppError {
  return new AppError(
    'BAD_INPUT',
    `byte ${formatCount(offset)}: invalid UTF-8; save the file as UTF-8 (or UTF-16 with a byte-order mark)`,
  );
}

/**
 * Decode raw chunks to validated UTF-8 chunks that end on character boundaries: the BOM is
 * dropped, invalid UTF-8 is refused with the offset of the bad byte, UTF-16 is transcoded, and a NUL
 * anywhere is refused as binary. Line breaks never fall inside a multi-byte character, so later
 * stages can split the bytes directly.
 */
export async function* toUtf8Chunks(
  chunks: AsyncIterable<Buffer>,
  detection: EncodingDetection,
  what: string,
  /** The input may stop mid-character (a preview): drop an unfinished last character. */
  truncated = false,
): AsyncGenerator<Buffer> {
  if (detection.encoding === 'utf-16le' || detection.encoding === 'utf-16be') {
    yield* fromUtf16(chunks, detection.encoding, what, truncated);
    return;
  }
  let offset = 0;
  let bomLeft = detection.bomLength;
  let carry: Buffer | null = null;
  for await (const raw of chunks) {
    let chunk = raw;
    offset += raw.length;
    if (bomLeft > 0) {
      const skip = Math.min(bomLeft, chunk.length);
      chunk = chunk.subarray(skip);
      bomLeft -= skip;
    }
    const chunkStart = offset - chunk.length;
    assertNoNul(chunk, chunkStart, what);
    const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const dataStart = chunkStart - (carry?.length ?? 0);
    const tail = incompleteUtf8Tail(data);
    const body = data.subarray(0, data.length - tail);
    if (!isUtf8(body)) throw invalidUtf8(dataStart + Math.max(0, firstInvalidUtf8(body)));
    carry = tail > 0 ? Buffer.from(data.subarray(data.length - tail)) : null;
    if (body.length > 0) yield body;
  }
  if (carry && !truncated) throw invalidUtf8(offset - carry.length);
}

async function* fromUtf16(
  chunks: AsyncIterable<Buffer>,
  encoding: 'utf-16le' | 'utf-16be',
  what: string,
  truncated: boolean,
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(encoding, { fatal: true });
  let offset = 0;
  const decode = (bytes: Buffer | undefined): string => {
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new AppError(
        'BAD_INPUT',
        `near byte ${formatCount(offset)}: invalid ${encoding.toUpperCase()} (a broken surrogate pair or an odd byte count)`,
      );
    }
  };
  for await (const raw of chunks) {
    const text = decode(raw);
    const nul = text.indexOf('\0');
    if (nul !== -1) {
      throw new AppError(
        'BAD_INPUT',
        `this looks like a binary file (a NUL character near byte ${formatCount(offset + nul * 2)}), not ${what}`,
      );
    }
    offset += raw.length;
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  if (truncated) return;
  const rest = decode(undefined);
  if (rest.length > 0) yield Buffer.from(rest, 'utf8');
}
