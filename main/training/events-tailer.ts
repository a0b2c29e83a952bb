/**
 * Tails `<run>/events.jsonl` by byte offset. Only complete lines (up to the last '\n') are handed
 * out, so a line the trainer is still writing is read again next time; the file is read in bounded
 * windows, never whole. Change is noticed by fs.watch, with a poll as the fallback (watchers miss
 * events on some file systems, and the file may not exist yet).
 */
import { type FSWatcher, watch } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

export interface TailRead {
  /** Complete lines, decoded as strict UTF-8, without their line ends; empty lines dropped. */
  readonly lines: ReadonlyArray<string>;
  /** Lines that could not be used: invalid UTF-8, or longer than the window. */
  readonly invalid: number;
  /** The offset just after the last byte consumed. */
  readonly nextOffset: number;
}

export interface EventsTailerOptions {
  readonly file: string;
  /** Bytes read per call, which is also the longest line accepted (default 1 MiB). */
  readonly windowBytes?: number;
  readonly pollMs?: number;
}

const NEWLINE = 0x0a;

/** Reads complete lines from a growing file and tells its owner when to read again. */
export class EventsTailer {
  private readonly file: string;
  private readonly window: Buffer;
  private readonly pollMs: number;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private handle: FileHandle | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Inside a line longer than the window: skip to its end, then count it once. */
  private skipping = false;
  private closed = false;

  constructor(options: EventsTailerOptions) {
    this.file = options.file;
    this.window = Buffer.allocUnsafe(options.windowBytes ?? 1 << 20);
    this.pollMs = options.pollMs ?? 250;
  }

  /** Call `onChange` whenever the file may have grown (watch + poll), until stop(). */
  start(onChange: () => void): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      this.ensureWatcher(onChange);
      onChange();
    }, this.pollMs);
    this.timer.unref();
    this.ensureWatcher(onChange);
  }

  private ensureWatcher(onChange: () => void): void {
    if (this.watcher) return;
    try {
      this.watcher = watch(this.file, { persistent: false }, () => onChange());
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // Not there yet, or no watcher support: the poll carries on.
    }
  }

  /** Stop watching; read() still works until close(). */
  stopWatching(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
  }

  /** Stop watching and release the file (call once no read is in flight). */
  async close(): Promise<void> {
    this.stopWatching();
    this.closed = true;
    const handle = this.handle;
    this.handle = null;
    await handle?.close().catch(() => undefined);
  }

  private async openHandle(): Promise<FileHandle | null> {
    if (this.handle || this.closed) return this.handle;
    try {
      this.handle = await open(this.file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    return this.handle;
  }

  /** Read the complete lines after `offset`, at most one window's worth. */
  async read(offset: number): Promise<TailRead> {
    const handle = await this.openHandle();
    if (!handle) return { lines: [], invalid: 0, nextOffset: offset };
    const { size } = await handle.stat();
    if (size <= offset) return { lines: [], invalid: 0, nextOffset: offset };
    const length = Math.min(this.window.length, size - offset);
    const { bytesRead } = await handle.read(this.window, 0, length, offset);
    const bytes = this.window.subarray(0, bytesRead);
    let start = 0;
    let invalid = 0;
    if (this.skipping) {
      const end = bytes.indexOf(NEWLINE);
      if (end < 0) return { lines: [], invalid: 0, nextOffset: offset + bytesRead };
      this.skipping = false;
      invalid++;
      start = end + 1;
    }
    const last = bytes.lastIndexOf(NEWLINE);
    if (last < start) {
      // No complete line in the window: a line still being written, or one too long to accept.
      if (start === 0 && bytesRead === this.window.length) {
        this.skipping = true;
        return { lines: [], invalid, nextOffset: offset + bytesRead };
      }
      return { lines: [], invalid, nextOffset: offset + start };
    }
    const lines: string[] = [];
    let lineStart = start;
    while (lineStart <= last) {
      const end = bytes.indexOf(NEWLINE, lineStart);
      const stop = end > lineStart && bytes[end - 1] === 0x0d ? end - 1 : end;
      if (stop > lineStart) {
        try {
          lines.push(this.decoder.decode(bytes.subarray(lineStart, stop)));
        } catch {
          invalid++;
        }
      }
      lineStart = end + 1;
    }
    return { lines, invalid, nextOffset: offset + last + 1 };
  }
}
