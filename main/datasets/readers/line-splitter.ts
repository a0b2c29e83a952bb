import { AppError } from '../../errors';
import { formatBytes, formatCount, MAX_RECORD_BYTES } from './source-record';

const LF = 0x0a;
const CR = 0x0d;

/** Called once per line with its bytes (without the line break) and its 1-based number. */
export type LineHandler = (line: Buffer, lineNumber: number) => void;

/**
 * Splits a stream of bytes into lines on LF, CRLF or a lone CR (mixed freely), with exact line
 * numbers. A line spread over many chunks is kept as a list of pieces and joined once, so a single
 * 100 MB line costs one copy, not a quadratic series of them. Lines within a chunk are zero-copy
 * views of it: handlers must use them before the next push.
 */
export class LineSplitter {
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  private lastWasCR = false;
  private line = 1;

  constructor(private readonly maxLineBytes: number = MAX_RECORD_BYTES) {}

  /** The number the next line will have. */
  get nextLineNumber(): number {
    return this.line;
  }

  /** Feed a chunk; `onLine` gets every line it completes. */
  push(chunk: Buffer, onLine: LineHandler): void {
    let start = 0;
    if (this.lastWasCR && chunk.length > 0) {
      if (chunk[0] === LF) start = 1;
      this.lastWasCR = false;
    }
    const n = chunk.length;
    let nextLf = -2;
    let nextCr = chunk.indexOf(CR, start);
    while (start < n) {
      if (nextLf !== -1 && nextLf < start) nextLf = chunk.indexOf(LF, start);
      if (nextCr !== -1 && nextCr < start) nextCr = chunk.indexOf(CR, start);
      let end: number;
      let next: number;
      if (nextCr !== -1 && (nextLf === -1 || nextCr < nextLf)) {
        end = nextCr;
        if (nextCr + 1 < n) next = chunk[nextCr + 1] === LF ? nextCr + 2 : nextCr + 1;
        else {
          next = n;
          this.lastWasCR = true;
        }
      } else if (nextLf !== -1) {
        end = nextLf;
        next = nextLf + 1;
      } else {
        break;
      }
      this.emit(chunk.subarray(start, end), onLine);
      start = next;
    }
    if (start < n) {
      this.pendingBytes += n - start;
      if (this.pendingBytes > this.maxLineBytes) {
        throw new AppError(
          'BAD_INPUT',
          `line ${formatCount(this.line)} is longer than ${formatBytes(this.maxLineBytes)}; split it into smaller rows`,
        );
      }
      this.pieces.push(chunk.subarray(start));
    }
  }

  /** Flush the last line when the input did not end with a line break; true when there was one. */
  end(onLine: LineHandler): boolean {
    if (this.pieces.length === 0) return false;
    this.emit(Buffer.alloc(0), onLine);
    return true;
  }

  private emit(tail: Buffer, onLine: LineHandler): void {
    let line = tail;
    if (this.pieces.length > 0) {
      this.pieces.push(tail);
      line = Buffer.concat(this.pieces, this.pendingBytes + tail.length);
      this.pieces = [];
      this.pendingBytes = 0;
    }
    onLine(line, this.line);
    this.line++;
  }
}
