/**
 * The main process's side of `window.desktop.pickPath`: the request is checked again with the
 * contract's schema (the renderer is not trusted), then one native open or save dialog is shown.
 */
import type {
  OpenDialogOptions,
  OpenDialogReturnValue,
  SaveDialogOptions,
  SaveDialogReturnValue,
} from 'electron';
import { PickPathRequestSchema } from '../../preload/contract';

/** The two native dialogs, as `dialog.showOpenDialog`/`showSaveDialog` on the main window. */
export interface PathDialogs {
  readonly open: (options: OpenDialogOptions) => Promise<OpenDialogReturnValue>;
  readonly save: (options: SaveDialogOptions) => Promise<SaveDialogReturnValue>;
}

/** Shows the dialog a renderer asked for; the chosen path, or null when cancelled. Throws on a bad request. */
export async function pickPath(request: unknown, dialogs: PathDialogs): Promise<string | null> {
  const checked = PickPathRequestSchema.safeParse(request);
  if (!checked.success) throw new Error(`Not a valid dialog request: ${checked.error.issues[0]?.message}`);
  const { mode, title, defaultPath, filters } = checked.data;
  const common = {
    title,
    defaultPath,
    filters: filters?.map((f) => ({ name: f.name, extensions: [...f.extensions] })),
  };
  switch (mode) {
    case 'open': {
      // One existing file: a dataset to import (folders and multi-select are not asked for).
      const answer = await dialogs.open({ ...common, properties: ['openFile'] });
      return answer.canceled ? null : (answer.filePaths[0] ?? null);
    }
    case 'save': {
      const answer = await dialogs.save({
        ...common,
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      });
      return answer.canceled || !answer.filePath ? null : answer.filePath;
    }
  }
}
