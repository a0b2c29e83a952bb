import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

interface LockRecord {
  readonly pid: number;
  readonly shell: string;
  readonly startedAt: number;
}

/** Is a process with this pid alive (EPERM means alive but not ours)? */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One core per data folder runs the queue: a lock file holding the owner's pid. A lock whose
 * process is gone is stale and taken over.
 */
export class CoreLock {
  private constructor(private readonly file: string) {}

  /** Take the lock, or return null when a live process holds it. */
  static tryAcquire(dataDir: string, shell: string): CoreLock | null {
    const file = join(dataDir, 'lora-studio.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        const record: LockRecord = { pid: process.pid, shell, startedAt: Date.now() };
        writeSync(fd, JSON.stringify(record));
        closeSync(fd);
        return new CoreLock(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const holder = CoreLock.read(file);
        if (holder && holder.pid !== process.pid && isProcessAlive(holder.pid)) return null;
        if (holder && holder.pid === process.pid) return null;
        rmSync(file, { force: true });
      }
    }
    return null;
  }

  /** Who holds the lock of a data folder, if anyone alive does. */
  static holder(dataDir: string): LockRecord | null {
    const record = CoreLock.read(join(dataDir, 'lora-studio.lock'));
    return record && isProcessAlive(record.pid) ? record : null;
  }

  private static read(file: string): LockRecord | null {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<LockRecord>;
      return typeof parsed.pid === 'number' ? (parsed as LockRecord) : null;
    } catch {
      return null;
    }
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}
