import {
  chmodSync,
  closeSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** Who holds a data folder: written into the lock file. */
export interface LockRecord {
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

/** How another process on this machine reaches the primary of a data folder (file mode 0600). */
export interface EndpointRecord {
  readonly pid: number;
  readonly shell: string;
  /** Loopback port of the primary's command socket (WebSocket at /ws, the serve protocol). */
  readonly port: number;
  /** Sent as `Authorization: Bearer …`; checked in constant time. */
  readonly secret: string;
  /** The browser URL, token left out, when the primary is `serve`. */
  readonly url: string | null;
}

/** Where a data folder's primary records its endpoint, beside the lock. */
export function endpointFile(dataDir: string): string {
  return join(dataDir, 'lora-studio.endpoint.json');
}

/**
 * The endpoint of a data folder's live primary, or null: the file must name the live lock holder,
 * belong to this user and be readable by nobody else (a file others could read or write is ignored).
 */
export function readEndpoint(dataDir: string): EndpointRecord | null {
  const holder = CoreLock.holder(dataDir);
  if (holder === null) return null;
  const file = endpointFile(dataDir);
  try {
    const stats = statSync(file);
    if (process.platform !== 'win32') {
      if ((stats.mode & 0o077) !== 0) return null;
      if (typeof process.getuid === 'function' && stats.uid !== process.getuid()) return null;
    }
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EndpointRecord>;
    if (parsed.pid !== holder.pid || typeof parsed.port !== 'number' || typeof parsed.secret !== 'string') {
      return null;
    }
    return {
      pid: parsed.pid,
      shell: typeof parsed.shell === 'string' ? parsed.shell : holder.shell,
      port: parsed.port,
      secret: parsed.secret,
      url: typeof parsed.url === 'string' ? parsed.url : null,
    };
  } catch {
    return null;
  }
}

/** Write the endpoint file readable by its owner only (created 0600, then renamed into place). */
export function writeEndpoint(dataDir: string, record: EndpointRecord): void {
  const file = endpointFile(dataDir);
  const temp = `${file}.${process.pid}.tmp`;
  rmSync(temp, { force: true });
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, JSON.stringify(record));
  } finally {
    closeSync(fd);
  }
  chmodSync(temp, 0o600);
  renameSync(temp, file);
}

/** Remove the endpoint file if it is still this process's. */
export function removeEndpoint(dataDir: string): void {
  const file = endpointFile(dataDir);
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<EndpointRecord>;
    if (parsed.pid === process.pid) rmSync(file, { force: true });
  } catch {
    // gone already
  }
}
