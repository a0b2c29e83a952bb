import { createHash } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AppError } from '../../errors';

/** Bytes buffered before a write to disk. */
const FLUSH_BYTES = 1 << 20;

/** What a finished file is: its size and sha256. */
export interface WrittenFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * Writes a file that appears whole or not at all: text goes to a temp file beside the target, is
 * fsynced, and only then takes the target's name, never replacing an existing file (a hard link
 * where the file system has them, so two writers cannot both win; a checked rename otherwise).
 */
export class AtomicFileWriter {
  private readonly hash = createHash('sha256');
  private chunks: string[] = [];
  private pending = 0;
  private bytes = 0;

  private constructor(
    readonly path: string,
    private readonly tempPath: string,
    private readonly handle: FileHandle,
  ) {}

  /** Start writing `path` (its folder must exist). */
  static async create(path: string): Promise<AtomicFileWriter> {
    if (existsSync(path)) throw new AppError('CONFLICT', `${path} already exists; choose another file name.`);
    const tempPath = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.partial`);
    let handle: FileHandle;
    try {
      handle = await open(tempPath, 'wx');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'the folder does not exist' : (error as Error).message;
      throw new AppError('BAD_INPUT', `Cannot write ${path}: ${why}.`);
    }
    return new AtomicFileWriter(path, tempPath, handle);
  }

  /** Append text (UTF-8). */
  async write(text: string): Promise<void> {
    this.chunks.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_BYTES) await this.flush();
  }

  /** Flush, fsync and move into place, then make it read-only when asked. */
  async finish(options: { readOnly?: boolean } = {}): Promise<WrittenFile> {
    try {
      await this.flush();
      await this.handle.sync();
    } finally {
      await this.handle.close();
    }
    this.place();
    if (options.readOnly) chmodSync(this.path, 0o444);
    syncFolder(dirname(this.path));
    return { path: this.path, bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  /** Give up: the temp file is removed and the target never appears. */
  async abort(): Promise<void> {
    await this.handle.close().catch(() => undefined);
    rmSync(this.tempPath, { force: true });
  }

  private async flush(): Promise<void> {
    if (this.chunks.length === 0) return;
    const buffer = Buffer.from(this.chunks.join(''), 'utf8');
    this.chunks = [];
    this.pending = 0;
    this.hash.update(buffer);
    this.bytes += buffer.length;
    for (let offset = 0; offset < buffer.length; ) {
      offset += (await this.handle.write(buffer, offset)).bytesWritten;
    }
  }

  private place(): void {
    try {
      linkSync(this.tempPath, this.path);
      rmSync(this.tempPath, { force: true });
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        rmSync(this.tempPath, { force: true });
        throw new AppError('CONFLICT', `${this.path} already exists; choose another file name.`);
      }
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'ENOSYS') {
        rmSync(this.tempPath, { force: true });
        throw error;
      }
    }
    // No hard links here (FAT, some network shares): a rename, after checking again.
    if (existsSync(this.path)) {
      rmSync(this.tempPath, { force: true });
      throw new AppError('CONFLICT', `${this.path} already exists; choose another file name.`);
    }
    renameSync(this.tempPath, this.path);
  }
}

/** fsync a folder so a rename in it survives power loss (not possible on Windows; skipped there). */
function syncFolder(folder: string): void {
  if (process.platform === 'win32') return;
  try {
    const fd = openSync(folder, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Best effort: the file itself is already synced.
  }
}
