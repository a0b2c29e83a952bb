/**
 * The app without its database: when `createCore` fails with a DatabaseOpenError (a corrupt file, a
 * failed migration), serve (and the desktop app) still start and answer `app.info` with the error,
 * its code and the backups that can be restored, so the start-up error screen offers "Restore this
 * backup" instead of a crash. It holds the data folder's lock so nothing else opens the folder.
 * `openCoreOrStartup` is the one place both shells (serve, Electron) decide between the two.
 */
import { DatabaseOpenError } from '../../db/open';
import { contract, type PushedEvent, type Result, type StartupFailure } from '../../preload/contract';
import { CoreLock } from '../core-lock';
import { AppError } from '../errors';
import { databaseFile } from '../paths';
import type { ServerCore } from '../server/server-core';
import { SwitchableCore } from '../server/switchable-core';
import { restoreDataFolderBackup } from './restore-backup';
import { backupsOf } from './rolling-backups';

/** Whether `createCore` failed because the database could not be opened (not a bug to crash on). */
export function isDatabaseOpenFailure(error: unknown): error is DatabaseOpenError {
  return error instanceof DatabaseOpenError;
}

/** A core that answers only the start-up screen's channels. */
export interface StartupCore {
  readonly api: { invoke(channel: string, input: unknown): Promise<Result<unknown>> };
  readonly events: { subscribe(listener: (event: PushedEvent) => void): () => void };
  /** Release the folder's lock (before the real core opens it, or at exit). */
  close(): void;
}

/**
 * Build the degraded core for `error`. `onRestored` runs once a backup is in place (the lock
 * released): the shell opens the real core then; if that fails the restore call answers its error.
 */
export function createStartupCore(options: {
  readonly dataDir: string;
  readonly shell: string;
  readonly error: DatabaseOpenError;
  readonly onRestored: () => Promise<void>;
}): StartupCore {
  const { dataDir, error } = options;
  let lock = CoreLock.tryAcquire(dataDir, options.shell);
  const file = databaseFile(dataDir);
  const failure = (): StartupFailure => ({
    code: error.code,
    backups: backupsOf(file).map((b) => ({
      name: b.name,
      kind: b.kind,
      sizeBytes: b.sizeBytes,
      createdAt: Math.round(b.createdAt),
    })),
    suggested: error.backupPath === null ? null : (error.backupPath.split(/[\\/]/).at(-1) ?? null),
  });
  const fail = (appError: AppError): Result<unknown> => ({ ok: false, error: appError.toApiError() });
  const unavailable = () =>
    new AppError('UNAVAILABLE', `LoRA Studio could not open its database: ${error.message}`, {
      startupFailure: failure(),
    });
  let restoring = false;
  return {
    api: {
      async invoke(channel, input) {
        if (channel !== 'startup.restoreBackup') return fail(unavailable());
        const parsed = contract['startup.restoreBackup'].input.safeParse(input);
        if (!parsed.success)
          return fail(new AppError('BAD_INPUT', parsed.error.issues[0]?.message ?? 'bad input'));
        if (restoring) return fail(new AppError('CONFLICT', 'A restore is already under way.'));
        restoring = true;
        try {
          // Only a backup of this folder, by name: the browser cannot name arbitrary files.
          if (!backupsOf(file).some((b) => b.name === parsed.data.name)) {
            return fail(
              new AppError('NOT_FOUND', `No backup named "${parsed.data.name}" in this data folder.`),
            );
          }
          const result = restoreDataFolderBackup(dataDir, parsed.data.name, { allowHolderPid: process.pid });
          lock?.release();
          lock = null;
          await options.onRestored();
          return { ok: true, value: { restored: result.restored, keptAs: result.keptAs } };
        } catch (caught) {
          return fail(
            caught instanceof AppError ? caught : new AppError('INTERNAL', (caught as Error).message),
          );
        } finally {
          restoring = false;
        }
      },
    },
    events: { subscribe: () => () => {} },
    close() {
      lock?.release();
      lock = null;
    },
  };
}

/** What a shell runs: the real core, or the start-up core until a backup is restored. */
export interface CoreOrStartup<C extends ServerCore> {
  /** What the shell serves (IPC or HTTP): answers with whichever core is current, across the switch. */
  readonly served: SwitchableCore;
  /** Why the database could not be opened at start (null when it opened). */
  readonly startupError: DatabaseOpenError | null;
  /** The real core, once open (null while the start-up screen is shown). */
  current(): C | null;
  /** Close whichever core holds the data folder. */
  close(): Promise<void>;
}

/**
 * Open the real core with `open`; when the database cannot be opened, serve the start-up core
 * instead, and switch to a real core opened on the restored backup. Any other failure is thrown.
 * `onReopened` runs after that switch (the shell publishes its CLI endpoint then).
 */
export async function openCoreOrStartup<C extends ServerCore & { close(): Promise<void> }>(options: {
  readonly dataDir: string;
  readonly shell: string;
  readonly open: () => Promise<C>;
  readonly onReopened?: (core: C) => Promise<void>;
}): Promise<CoreOrStartup<C>> {
  let core: C | null = null;
  let startup: StartupCore | null = null;
  let startupError: DatabaseOpenError | null = null;
  try {
    core = await options.open();
  } catch (error) {
    if (!isDatabaseOpenFailure(error)) throw error;
    startupError = error;
    startup = createStartupCore({
      dataDir: options.dataDir,
      shell: options.shell,
      error,
      onRestored: async () => {
        const opened = await options.open();
        core = opened;
        served.switchTo(opened);
        startup?.close();
        startup = null;
        await options.onReopened?.(opened);
      },
    });
  }
  const served = new SwitchableCore(core ?? (startup as StartupCore));
  return {
    served,
    startupError,
    current: () => core,
    async close() {
      const closing = core;
      core = null;
      startup?.close();
      startup = null;
      await closing?.close();
    },
  };
}
