/**
 * The last lines of a log file, read backwards in chunks: a 1 GB stdout.log costs a few reads,
 * never a load. Optionally only lines containing a search text (case-insensitive), scanning at
 * most `maxScanBytes` from the end.
 */
import { open } from 'node:fs/promises';

export interface LogTailOptions {
  readonly tailLines: number;
  readonly search?: string;
  /** Stop looking after this many bytes from the end (default 64 MiB). */
  readonly maxScanBytes?: number;
  /** Lines longer than this many characters are cut, with an ellipsis (default 4,000). */
  readonly maxLineChars?: number;
}

export interface LogTail {
  readonly lines: string[];
  /** True when there is more of the file above what was returned (or the scan stopped early). */
  readonly truncated: boolean;
}

const CHUNK = 64 * 1024;
const MAX_CARRY = 1 << 20;

/** Read the tail of a file as lines, oldest first; a missing file is empty. */
export async function readLogTail(file: string, options: LogTailOptions): Promise<LogTail> {
  const maxScan = options.maxScanBytes ?? 64 << 20;
  const maxChars = options.maxLineChars ?? 4000;
  const needle = options.search ? options.search.toLowerCase() : null;
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch {
    return { lines: [], truncated: false };
  }
  try {
    const { size } = await handle.stat();
    const found: string[] = [];
    let pos = size;
    let carry = Buffer.alloc(0);
    let atEnd = true;
    const take = (bytes: Buffer): boolean => {
      let text = bytes.toString('utf8');
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (needle !== null && !text.toLowerCase().includes(needle)) return false;
      found.push(text.length > maxChars ? `${text.slice(0, maxChars)}…` : text);
      return found.length >= options.tailLines;
    };
    while (pos > 0 && size - pos < maxScan) {
      const length = Math.min(CHUNK, pos);
      pos -= length;
      const chunk = Buffer.alloc(length);
      await handle.read(chunk, 0, length, pos);
      let data = carry.length > 0 ? Buffer.concat([chunk, carry]) : chunk;
      let end = data.length;
      for (let i = data.length - 1; i >= 0; i--) {
        if (data[i] !== 0x0a) continue;
        // The piece after the file's final newline is empty, not a line.
        const piece = data.subarray(i + 1, end);
        if (!(atEnd && piece.length === 0) && take(piece)) {
          return { lines: found.reverse(), truncated: pos > 0 || i > 0 };
        }
        atEnd = false;
        end = i;
      }
      data = data.subarray(0, end);
      carry =
        data.length > MAX_CARRY ? Buffer.from(data.subarray(data.length - MAX_CARRY)) : Buffer.from(data);
    }
    if (pos === 0 && carry.length > 0 && take(carry)) {
      return { lines: found.reverse(), truncated: false };
    }
    return { lines: found.reverse(), truncated: pos > 0 };
  } finally {
    await handle.close();
  }
}
