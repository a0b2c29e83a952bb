/**
 * The backup channels' schemas: the database backups kept in `<data folder>/backups/` (rolling ones
 * daily and on clean exit, pre-migration ones before each migration). Imports nothing from Node.
 */
import { z } from 'zod';

export const BackupSchema = z.object({
  name: z.string(),
  kind: z.enum(['rolling', 'pre-migration']),
  sizeBytes: z.number().int(),
  /** When it was written (ms since the epoch). */
  createdAt: z.number(),
});
export type Backup = z.infer<typeof BackupSchema>;

export const BackupListSchema = z.object({
  /** Where the backups are, to copy one elsewhere or restore it with `lora-studio db restore`. */
  dir: z.string(),
  /** Newest first. */
  backups: z.array(BackupSchema),
  /** How many rolling backups are kept. */
  rollingKept: z.number().int(),
  /** A rolling backup is taken when the newest is this old (ms). */
  everyMs: z.number().int(),
  /** A clean exit backs up the database only up to this size. */
  exitMaxBytes: z.number().int(),
});
export type BackupList = z.infer<typeof BackupListSchema>;

/**
 * Why the database could not be opened at start-up, carried in the `details` of the error `app.info`
 * answers while the app runs without it (serve's degraded mode, the desktop app's error screen).
 */
export const StartupFailureSchema = z.object({
  startupFailure: z.object({
    code: z.enum(['SQLITE_TOO_OLD', 'CORRUPT', 'MIGRATION_FAILED', 'PRAGMA_FAILED']),
    /** The backups a person can restore, newest first. */
    backups: z.array(BackupSchema),
    /** The backup the error itself names (the one taken before a failed migration), if any. */
    suggested: z.string().nullable(),
  }),
});
export type StartupFailure = z.infer<typeof StartupFailureSchema>['startupFailure'];

export const RestoreBackupInputSchema = z.object({ name: z.string().min(1).max(512) }).strict();
export const RestoreBackupResultSchema = z.object({
  restored: z.string(),
  /** Where the replaced (damaged) database file was kept. */
  keptAs: z.string().nullable(),
});
