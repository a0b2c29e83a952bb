import { AppError } from '../../errors';
import { formatBytes, formatCount, MAX_RECORD_BYTES } from './source-record';

/** Fields that hold a row's own arrays: an object holding one of these is a row, not a container. */
export const ROW_ARRAY_FIELDS: ReadonlySet<string> = new Set([
  'messages',
  'conversations',
  'history',
  'tool_calls',
  'tools',
]);

/** Called once per element of the rows array with its bytes and the line it starts on. */
export type ElementHandler = (element: Buffer, lineNumber: number) => void;

enum S {
  Root,
  RowsExpect,
  InElement,
  ObjKey,
  ObjKeyText,
  ObjColon,
  ObjValue,
  ObjPeekArray,
  SkipValue,
  ObjAfterValue,
  Trailing,
}

const WS = new Uint8Array(256);
for (const c of [0x20, 0x09, 0x0a, 0x0d]) WS[c] = 1;

/**
 * Streams the rows out of a JSON file holding an array (`[{…}, {…}]`) or an object holding one
 * (`{"data": [{…}]}`: the first array member, not a row field, whose first element is an object),
 * without ever holding more than one element in memory. It tracks strings, escapes and depth byte
 * by byte; each element's text is handed over for JSON.parse. A file cut off inside the array
 * yields its partial last element (which then fails to parse as "cut off").
 */
export class JsonArraySplitter {
  /** The member of the top-level object that held the rows; null for a top-level array. */
  containerKey: string | null = null;
  /** Members of the top-level object seen so far (for error messages). */
  readonly keysSeen: string[] = [];
  rootKind: 'array' | 'object' | null = null;
  /** Set by `end()` when the file ended inside the array of rows (no closing `]`): its byte length. */
  cutOffAt: number | null = null;
  private bytesSeen = 0;

  private state = S.Root;
  private depth = 0;
  private rowsDepth = 1;
  private inString = false;
  private escaped = false;
  private line = 1;
  private prevCR = false;
  private pieces: Buffer[] = [];
  private pieceBytes = 0;
  private elementLine = 0;
  private keyBytes: number[] = [];
  private key = '';

  constructor(private readonly maxElementBytes: number = MAX_RECORD_BYTES) {}

  /** Feed a chunk of UTF-8; `onElement` gets each element it completes. */
  push(chunk: Buffer, onElement: ElementHandler): void {
    this.bytesSeen += chunk.length;
    let elementStart = this.state === S.InElement ? 0 : -1;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      if (c === 0x0a) {
        if (!this.prevCR) this.line++;
        this.prevCR = false;
      } else if (c === 0x0d) {
        this.line++;
        this.prevCR = true;
      } else {
        this.prevCR = false;
      }
      switch (this.state) {
        case S.Root:
          if (WS[c]) break;
          if (c === 0x5b) {
            this.rootKind = 'array';
            this.depth = 1;
            this.rowsDepth = 1;
            this.state = S.RowsExpect;
          } else if (c === 0x7b) {
            this.rootKind = 'object';
            this.depth = 1;
            this.state = S.ObjKey;
          } else {
            throw this.error('the file holds a single JSON value, not an array of rows');
          }
          break;
        case S.RowsExpect:
          if (WS[c] || c === 0x2c) break;
          if (c === 0x5d) {
            this.closeRows();
            break;
          }
          this.state = S.InElement;
          this.elementLine = this.line;
          elementStart = i;
          this.scanElementByte(c);
          break;
        case S.InElement:
          if (!this.inString && this.depth === this.rowsDepth && (c === 0x2c || c === 0x5d)) {
            this.emitElement(chunk.subarray(elementStart, i), onElement);
            elementStart = -1;
            if (c === 0x5d) this.closeRows();
            else this.state = S.RowsExpect;
          } else {
            this.scanElementByte(c);
          }
          break;
        case S.ObjKey:
          if (WS[c] || c === 0x2c) break;
          if (c === 0x22) {
            this.keyBytes = [];
            this.state = S.ObjKeyText;
          } else if (c === 0x7d) {
            this.depth = 0;
            this.state = S.Trailing;
          } else {
            throw this.error('expected a field name in the top-level object');
          }
          break;
        case S.ObjKeyText:
          if (this.escaped) this.escaped = false;
          else if (c === 0x5c) this.escaped = true;
          else if (c === 0x22) {
            this.key = decodeKey(this.keyBytes);
            if (this.keysSeen.length < 50) this.keysSeen.push(this.key);
            this.state = S.ObjColon;
            break;
          }
          if (this.keyBytes.length < 4096) this.keyBytes.push(c);
          break;
        case S.ObjColon:
          if (WS[c]) break;
          if (c !== 0x3a) throw this.error(`expected \`:\` after \`${this.key}\` in the top-level object`);
          this.state = S.ObjValue;
          break;
        case S.ObjValue:
          if (WS[c]) break;
          if (c === 0x5b && this.containerKey === null && !ROW_ARRAY_FIELDS.has(this.key)) {
            this.depth = 2;
            this.state = S.ObjPeekArray;
          } else {
            this.state = S.SkipValue;
            this.skipByte(c);
          }
          break;
        case S.ObjPeekArray:
          if (WS[c]) break;
          if (c === 0x7b) {
            this.containerKey = this.key;
            this.rowsDepth = 2;
            this.state = S.InElement;
            this.elementLine = this.line;
            elementStart = i;
            this.scanElementByte(c);
          } else {
            this.state = S.SkipValue;
            this.skipByte(c);
          }
          break;
        case S.SkipValue:
          this.skipByte(c);
          break;
        case S.ObjAfterValue:
          if (WS[c]) break;
          if (c === 0x2c) this.state = S.ObjKey;
          else if (c === 0x7d) {
            this.depth = 0;
            this.state = S.Trailing;
          } else throw this.error('expected `,` or `}` in the top-level object');
          break;
        case S.Trailing:
          if (WS[c]) break;
          throw this.error(
            'there is more JSON after the top-level value; if the file holds one JSON value per line, import it as jsonl',
          );
      }
    }
    if (elementStart !== -1) this.keepPiece(chunk.subarray(elementStart));
  }

  /** Finish: a partial last element is handed over; structural damage outside the rows is an error. */
  end(onElement: ElementHandler): void {
    if (this.state === S.InElement || this.state === S.RowsExpect) {
      this.cutOffAt = this.bytesSeen;
      if (this.state === S.RowsExpect) this.elementLine = this.line;
      this.emitElement(Buffer.alloc(0), onElement);
      return;
    }
    if (this.state === S.Root) throw new AppError('BAD_INPUT', 'the file holds no JSON value');
    if (this.state === S.Trailing && this.rootKind === 'object' && this.containerKey === null) {
      const fields = this.keysSeen.map((k) => `\`${k}\``).join(', ') || 'none';
      throw new AppError(
        'BAD_INPUT',
        `the JSON object holds no array of rows (fields: ${fields}); expected an array such as {"data": [{…}, …]}`,
      );
    }
    if (this.state !== S.Trailing) throw this.error('the JSON is cut off inside the top-level object');
  }

  private scanElementByte(c: number): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === 0x5c) this.escaped = true;
      else if (c === 0x22) this.inString = false;
    } else if (c === 0x22) this.inString = true;
    else if (c === 0x7b || c === 0x5b) this.depth++;
    else if ((c === 0x7d || c === 0x5d) && this.depth > this.rowsDepth) this.depth--;
  }

  private skipByte(c: number): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (c === 0x5c) this.escaped = true;
      else if (c === 0x22) this.inString = false;
      return;
    }
    if (c === 0x22) this.inString = true;
    else if (c === 0x7b || c === 0x5b) this.depth++;
    else if (c === 0x7d || c === 0x5d) {
      if (this.depth === 1) {
        this.depth = 0;
        this.state = S.Trailing;
      } else if (--this.depth === 1) this.state = S.ObjAfterValue;
    } else if (c === 0x2c && this.depth === 1) this.state = S.ObjKey;
  }

  private closeRows(): void {
    this.depth = this.rowsDepth - 1;
    this.state = this.rowsDepth === 1 ? S.Trailing : S.ObjAfterValue;
  }

  private keepPiece(piece: Buffer): void {
    this.pieceBytes += piece.length;
    if (this.pieceBytes > this.maxElementBytes) {
      throw new AppError(
        'BAD_INPUT',
        `the row starting on line ${formatCount(this.elementLine)} is larger than ${formatBytes(this.maxElementBytes)}`,
      );
    }
    this.pieces.push(piece);
  }

  private emitElement(tail: Buffer, onElement: ElementHandler): void {
    let bytes = tail;
    if (this.pieces.length > 0) {
      this.pieces.push(tail);
      bytes = Buffer.concat(this.pieces, this.pieceBytes + tail.length);
      this.pieces = [];
      this.pieceBytes = 0;
    }
    this.inString = false;
    this.escaped = false;
    onElement(bytes, this.elementLine);
  }

  private error(message: string): AppError {
    return new AppError('BAD_INPUT', `line ${formatCount(this.line)}: ${message}`);
  }
}

function decodeKey(bytes: ReadonlyArray<number>): string {
  const raw = Buffer.from(bytes).toString('utf8');
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}
