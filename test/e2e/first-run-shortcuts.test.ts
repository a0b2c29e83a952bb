/**
 * Keyboard shortcuts for the common actions: `?` opens the sheet (never while typing), I imports a
 * dataset, N starts a new job, Ctrl+digit goes to a page, `/` searches; tooltips name the keys.
 */
import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { openApp } from './serve-harness';

describe('keyboard shortcuts', () => {
  const e2e = useE2eSession();

  it('opens the sheet with ?, not while typing, and drives the common actions from the keyboard', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/datasets');
    await page.getByTestId('page-datasets').waitFor();

    // Tooltips say the keys.
    expect(await page.getByTestId('datasets-import').getAttribute('title')).toBe('Import a dataset (I)');
    expect(await page.getByTestId('nav-training').getAttribute('title')).toBe('Training (Ctrl+2)');
    expect(await page.getByTestId('shortcuts-open').getAttribute('title')).toBe('Keyboard shortcuts (?)');

    // `?` opens the sheet; it lists the common actions; Escape closes it.
    await page.keyboard.press('?');
    const sheet = page.getByTestId('shortcuts-sheet');
    await sheet.waitFor();
    const listed = await sheet.getByTestId('shortcut').allTextContents();
    for (const entry of [
      '?Show these shortcuts',
      'NNew training job',
      'IImport a dataset',
      'Ctrl+1Go to Datasets',
      '/Search the rows',
    ])
      expect(listed).toContain(entry);
    await page.keyboard.press('Escape');
    await sheet.waitFor({ state: 'detached' });

    // I: the import dialog, from any page. Typing a path there opens nothing else.
    await page.keyboard.press('Control+2');
    await page.getByTestId('page-training').waitFor();
    await page.keyboard.press('i');
    await page.getByTestId('page-datasets').waitFor();
    await page.getByTestId('import-path').waitFor();
    await page.getByTestId('import-path').type('/tmp/what?n');
    expect(await page.getByTestId('import-path').inputValue()).toBe('/tmp/what?n');
    expect(await page.getByTestId('shortcuts-sheet').count()).toBe(0);
    expect(await page.getByTestId('page-datasets').count()).toBe(1);
    await page.keyboard.press('Escape');
    await page.getByTestId('import-path').waitFor({ state: 'detached' });
    expect(page.url()).not.toContain('import=1');

    // N: a new job. In its name field, `?` and `n` are just text.
    await page.keyboard.press('n');
    await page.getByTestId('page-new-job').waitFor();
    await page.getByTestId('job-name').click();
    await page.keyboard.type('run?n');
    expect(await page.getByTestId('job-name').inputValue()).toBe('run?n');
    expect(await page.getByTestId('shortcuts-sheet').count()).toBe(0);

    // The sidebar's button opens the same sheet.
    await page.getByTestId('shortcuts-open').click();
    await sheet.waitFor();
  });
});
