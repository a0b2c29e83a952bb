/**
 * The desktop bridge beside `window.api`: native file dialogs, the path of a dropped file and the
 * application menu's commands. Only the Electron shell provides it (`window.desktop`); the core never
 * opens dialogs, so none of this is an API channel. Re-exported by contract.ts; no Node or Electron.
 */
import { z } from 'zod';

/** One file-type filter of a native dialog, e.g. `{ name: 'JSONL', extensions: ['jsonl'] }`. */
export const FileFilterSchema = z.strictObject({
  name: z.string().min(1).max(200),
  extensions: z
    .array(
      z
        .string()
        .regex(/^(\*|[A-Za-z0-9_.-]{1,32})$/, 'an extension without the dot, such as jsonl, or * for any'),
    )
    .min(1)
    .max(50),
});

/** What the renderer asks of a native open/save dialog. */
export const PickPathRequestSchema = z.strictObject({
  mode: z.enum(['open', 'save']),
  title: z.string().min(1).max(200).optional(),
  defaultPath: z.string().min(1).max(4096).optional(),
  filters: z.array(FileFilterSchema).max(20).optional(),
});
export type PickPathRequest = z.infer<typeof PickPathRequestSchema>;

/** The application menu's commands that the renderer carries out (the same actions as its shortcuts). */
export const DesktopCommandSchema = z.enum(['new-job', 'import-dataset', 'shortcuts', 'about']);
export type DesktopCommand = z.infer<typeof DesktopCommandSchema>;

/** The IPC channels behind the bridge (preload ↔ main). */
export const DESKTOP_PICK_PATH_CHANNEL = 'desktop:pick-path';
export const DESKTOP_COMMAND_CHANNEL = 'desktop:command';

/** `window.desktop`, present only in the Electron shell. */
export interface DesktopBridge {
  /** Shows a native open or save dialog; the chosen path, or null when cancelled. */
  pickPath(request: PickPathRequest): Promise<string | null>;
  /** The disk path of a dropped or chosen file, or null when it has none. */
  pathForFile(file: File): string | null;
  /** Calls `listener` for each menu command; returns the unsubscribe function. */
  onCommand(listener: (command: DesktopCommand) => void): () => void;
}
