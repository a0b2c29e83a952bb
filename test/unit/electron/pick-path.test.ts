import type { OpenDialogOptions, SaveDialogOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { type PathDialogs, pickPath } from '../../../main/electron/pick-path';

/** Dialog doubles (Electron cannot run here) that record what they were asked and answer as told. */
function dialogs(answer: { canceled: boolean; path?: string }) {
  const asked: Array<['open', OpenDialogOptions] | ['save', SaveDialogOptions]> = [];
  const doubles: PathDialogs = {
    open: async (options) => {
      asked.push(['open', options]);
      return { canceled: answer.canceled, filePaths: answer.path ? [answer.path] : [] };
    },
    save: async (options) => {
      asked.push(['save', options]);
      return { canceled: answer.canceled, filePath: answer.path ?? '' };
    },
  };
  return { asked, doubles };
}

describe('pickPath in the main process', () => {
  it('opens one file with the asked title, default path and filters', async () => {
    const { asked, doubles } = dialogs({ canceled: false, path: '/data/chats.jsonl' });
    const request = {
      mode: 'open',
      title: 'Import a dataset',
      defaultPath: '/data',
      filters: [{ name: 'Datasets', extensions: ['jsonl'] }],
    };
    expect(await pickPath(request, doubles)).toBe('/data/chats.jsonl');
    expect(asked).toEqual([
      [
        'open',
        {
          title: 'Import a dataset',
          defaultPath: '/data',
          filters: [{ name: 'Datasets', extensions: ['jsonl'] }],
          properties: ['openFile'],
        },
      ],
    ]);
  });

  it('saves to the chosen path, null when cancelled', async () => {
    const chosen = dialogs({ canceled: false, path: '/out/export.csv' });
    expect(await pickPath({ mode: 'save' }, chosen.doubles)).toBe('/out/export.csv');
    expect(chosen.asked[0]?.[0]).toBe('save');
    expect(await pickPath({ mode: 'save' }, dialogs({ canceled: true }).doubles)).toBeNull();
    expect(await pickPath({ mode: 'open' }, dialogs({ canceled: true }).doubles)).toBeNull();
  });

  it('refuses a request outside the schema before any dialog shows', async () => {
    for (const request of [null, { mode: 'folder' }, { mode: 'open', properties: ['multiSelections'] }]) {
      const { asked, doubles } = dialogs({ canceled: false, path: '/x' });
      await expect(pickPath(request, doubles)).rejects.toThrow('Not a valid dialog request');
      expect(asked).toEqual([]);
    }
  });
});
