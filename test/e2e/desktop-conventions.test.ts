/**
 * Desktop conventions in the built renderer (serve mode, Chromium): in a browser no native-dialog
 * buttons and a dropped file opens the import dialog with a line saying to type its path; with the
 * desktop bridge (a double installed before the page loads: the Electron preload cannot run here,
 * the double speaks its `DesktopBridge` type) Browse…/Choose… fill the paths, a drop opens the
 * dialog with the path filled, and the menu's commands run the shortcuts' actions.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { chatRow, expectTotal, useDatasetsE2e, writeJsonl } from './datasets-helpers';
import { openApp } from './serve-harness';

/**
 * Drops a file named `name` on the Datasets page the way a person's drag does: enter and over (the
 * page highlights, which this waits for), then the drop.
 */
async function dropFile(page: Page, name: string): Promise<void> {
  // Page scripts are strings: this file is typed for Node, not the DOM.
  await page.evaluate(`(() => {
    const data = new DataTransfer();
    data.items.add(new File(['{"text": "hi"}\\n'], ${JSON.stringify(name)}, { type: 'application/jsonl' }));
    window.__drag = data;
    const page = document.querySelector('[data-testid="page-datasets"]');
    for (const type of ['dragenter', 'dragover'])
      page.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data }));
  })()`);
  await page.locator('[data-testid="page-datasets"][data-dragging="true"]').waitFor();
  await page.evaluate(`document.querySelector('[data-testid="page-datasets"]').dispatchEvent(
    new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: window.__drag }))`);
}

/** What the page's desktop double recorded. */
interface DesktopPicks {
  readonly picks: ReadonlyArray<{ mode: string; title?: string; defaultPath?: string }>;
}

/**
 * Installs a `window.desktop` double (it speaks `DesktopBridge`): pickPath records the request and
 * answers `window.__desktop.nextPick`, pathForFile answers a path under `dropDir`, onCommand keeps
 * the listener so `window.__desktop.fire(command)` reaches it.
 */
async function installDesktopDouble(page: Page, dropDir: string): Promise<void> {
  await page.addInitScript(`(() => {
    const listeners = new Set();
    const double = {
      picks: [],
      nextPick: null,
      fire: (command) => { for (const listener of listeners) listener(command); },
    };
    window.__desktop = double;
    window.desktop = {
      pickPath: async (request) => { double.picks.push(request); return double.nextPick; },
      pathForFile: (file) => ${JSON.stringify(dropDir)} + '/' + file.name,
      onCommand: (listener) => { listeners.add(listener); return () => listeners.delete(listener); },
    };
  })()`);
}

const desktopDouble = (page: Page) =>
  page.evaluate('({ picks: window.__desktop.picks })') as Promise<DesktopPicks>;
const setNextPick = (page: Page, path: string | null) =>
  page.evaluate(`window.__desktop.nextPick = ${JSON.stringify(path)}`);
const fireCommand = (page: Page, command: string) =>
  page.evaluate(`window.__desktop.fire(${JSON.stringify(command)})`);

describe('desktop conventions', () => {
  const e2e = useDatasetsE2e();

  it('in a browser: no native-dialog buttons, and a dropped file opens the import dialog asking for its path', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/datasets');
    await page.getByTestId('page-datasets').waitFor();
    expect(await page.getByTestId('page-datasets').getAttribute('data-dragging')).toBe('false');

    await page.getByTestId('datasets-import').click();
    await page.getByTestId('import-path').waitFor();
    expect(await page.getByTestId('import-browse').count()).toBe(0);
    expect(await page.getByTestId('import-drop-note').count()).toBe(0);
    await page.keyboard.press('Escape');
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });

    await dropFile(page, 'chats-from-desktop.jsonl');
    // dropFile waited for the highlight while the file was over the page; it is off after the drop.
    await page.getByTestId('import-drop-note').waitFor();
    expect(await page.getByTestId('import-drop-note').textContent()).toContain(
      "Browsers don't tell a page where a dropped file is: type its path",
    );
    expect(await page.getByTestId('import-dropped-name').textContent()).toBe('chats-from-desktop.jsonl');
    expect(await page.getByTestId('import-path').inputValue()).toBe('');
    await page.locator('[data-testid="page-datasets"][data-dragging="false"]').waitFor();

    // Typing the path still imports it.
    const path = await writeJsonl(e2e.inputDir(), 'chats-from-desktop.jsonl', [chatRow(1), chatRow(2)]);
    await page.getByTestId('import-path').fill(path);
    await page.getByTestId('import-inspect').click();
    await page.getByTestId('import-inspection').waitFor();
  });

  it('with the desktop bridge: Browse…, a drop and Choose… fill the paths; menu commands run the shortcuts’ actions', async () => {
    const page = e2e.page();
    const dir = e2e.inputDir();
    const path = await writeJsonl(dir, 'browsed.jsonl', [chatRow(1), chatRow(2), chatRow(3)]);
    await installDesktopDouble(page, dir);
    await openApp(page, e2e.server(), '#/datasets');
    await page.getByTestId('page-datasets').waitFor();

    // Browse…: cancelling leaves the typed path; a pick fills it.
    await page.getByTestId('datasets-import').click();
    await page.getByTestId('import-path').fill('/typed/before.jsonl');
    await setNextPick(page, null);
    await page.getByTestId('import-browse').click();
    await expect.poll(async () => (await desktopDouble(page)).picks.length).toBe(1);
    expect(await page.getByTestId('import-path').inputValue()).toBe('/typed/before.jsonl');
    expect((await desktopDouble(page)).picks[0]).toMatchObject({
      mode: 'open',
      defaultPath: '/typed/before.jsonl',
    });
    await setNextPick(page, path);
    await page.getByTestId('import-browse').click();
    await expect.poll(() => page.getByTestId('import-path').inputValue()).toBe(path);
    await page.keyboard.press('Escape');
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });

    // A drop opens the dialog with the file's path (from pathForFile), and it imports.
    await dropFile(page, 'browsed.jsonl');
    await page.getByTestId('import-dialog').waitFor();
    expect(await page.getByTestId('import-path').inputValue()).toBe(path);
    expect(await page.getByTestId('import-drop-note').count()).toBe(0);
    await page.getByTestId('import-inspect').click();
    await page.getByTestId('import-inspection').waitFor();
    await page.getByTestId('import-start').click();
    await page.locator('[data-testid="page-dataset"][data-dataset-id]').waitFor({ timeout: 30_000 });
    await expectTotal(page, 3);

    // Choose…: the export destination from a native save dialog.
    await page.getByTestId('action-freeze').click();
    await page.getByTestId('freeze-confirm').click();
    await page.locator('[data-testid="version-row"][data-version="1"]').waitFor();
    await page.getByTestId('version-export').click();
    const out = join(dir, 'chosen-export.jsonl');
    await setNextPick(page, out);
    await page.getByTestId('export-choose').click();
    await expect.poll(() => page.getByTestId('export-path').inputValue()).toBe(out);
    expect((await desktopDouble(page)).picks.at(-1)).toMatchObject({ mode: 'save' });
    await page.getByTestId('export-confirm').click();
    await page.getByTestId('export-result').waitFor();
    expect((await readFile(out, 'utf8')).trim().split('\n')).toHaveLength(3);
    await page.keyboard.press('Escape');
    await page.getByTestId('export-dialog').waitFor({ state: 'detached' });

    // The menu's commands: the same actions as N, ? and I.
    await fireCommand(page, 'new-job');
    await page.getByTestId('page-new-job').waitFor();
    await fireCommand(page, 'shortcuts');
    await page.getByTestId('shortcuts-sheet').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-sheet').waitFor({ state: 'detached' });
    await fireCommand(page, 'import-dataset');
    await page.getByTestId('import-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('import-dialog').waitFor({ state: 'detached' });
    await fireCommand(page, 'about');
    await page.getByTestId('about-panel').waitFor();
    expect(page.url()).toContain('#/settings#about');
    // Brought into view (it sits at the bottom of a long page).
    await expect
      .poll(() =>
        page.evaluate(`(() => {
          const box = document.querySelector('[data-testid="about-panel"]').getBoundingClientRect();
          return box.top >= 0 && box.top < window.innerHeight;
        })()`),
      )
      .toBe(true);
  });
});
