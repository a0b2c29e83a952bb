/**
 * One row identity everywhere: a row is named by its source line ("line 3", what a researcher finds
 * in their file) in the table, the row panel, search results, dedupe, its validation errors and the
 * CLI — never by a database id. The file has a blank line, so line numbers and row positions differ.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { chatRow, expectTotal, importThroughUi, until, useDatasetsE2e, writeJsonl } from './datasets-helpers';
import { testPath } from './serve-harness';

const CLI = fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));

/** `lora-studio ARGS --data-dir DIR` for a person (no --json): its stdout; fails on a non-zero exit. */
function cliText(dataDir: string, args: ReadonlyArray<string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: testPath(false) };
    delete env.LORA_STUDIO_HOME;
    const child = spawn(process.execPath, [CLI, ...args, '--data-dir', dataDir], { env });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      err += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`exit ${code}: ${err || out}`)),
    );
  });
}

describe('one row identity in every view', () => {
  const e2e = useDatasetsE2e();

  it('names the same row "line N" in the table, row panel, search, dedupe, validation and the CLI', async () => {
    const page = e2e.page();
    const spice = chatRow(1, 'zanzibar spice route');
    const invalid = { messages: [{ role: 'bot', content: 'hello' }] };
    // line 1: row 0 · line 2: blank · line 3: the searched row · line 4: invalid · lines 5–10 · line 11: a duplicate of line 3
    const lines: Array<object | string> = [chatRow(0), '', spice, invalid];
    for (let i = 2; i < 8; i++) lines.push(chatRow(i));
    lines.push(spice);
    const id = await importThroughUi(e2e, await writeJsonl(e2e.inputDir(), 'identity.jsonl', lines));
    await expectTotal(page, 10);

    // The table: its first column is headed "Line" and holds the source line, not the position.
    expect(await page.getByTestId('rows-head-label').textContent()).toBe('Line');
    const second = page.locator('[data-testid="row-item"][data-index="1"]');
    expect(await second.getByTestId('row-label').textContent()).toBe('3');
    expect(await second.getByTestId('row-label').getAttribute('title')).toBe('line 3');

    // Search results: the same two rows by the same numbers.
    await page.getByTestId('rows-search').fill('zanzibar');
    await expectTotal(page, 2);
    const found = page.getByTestId('row-item');
    await until(
      () => found.getByTestId('row-label').allTextContents(),
      (labels) => labels.join(',') === '3,11',
    );

    // The row panel: "line 3", and no database id beside it.
    await found.first().click();
    await page.getByTestId('row-detail').waitFor();
    expect(await page.getByTestId('row-detail-location').textContent()).toBe('line 3');
    expect(await page.getByTestId('row-detail').locator('header').textContent()).not.toMatch(/#\d/);
    await page.keyboard.press('Escape');
    await page.getByTestId('rows-search').fill('');
    await expectTotal(page, 10);

    // Validation errors: the invalid row is "line 4" with its problem under it.
    await page.locator('[data-testid="row-item"][data-valid="false"]').click();
    expect(await page.getByTestId('row-detail-location').textContent()).toBe('line 4');
    expect(await page.getByTestId('row-problem').first().textContent()).toMatch(/bot/);
    await page.keyboard.press('Escape');

    // Dedupe: keep line 3, remove line 11.
    await page.getByTestId('action-dedupe').click();
    await page.getByTestId('dedupe-exact').check();
    await page.getByTestId('dedupe-preview').click();
    await page.getByTestId('dedupe-result').waitFor();
    expect(await page.getByTestId('dedupe-keep').textContent()).toBe('line 3');
    expect(await page.getByTestId('dedupe-remove').allTextContents()).toEqual(['line 11']);

    // The CLI says the same.
    const text = await cliText(e2e.dataDir(), ['datasets', 'dedupe', id]);
    expect(text).toContain('keep line 3 · remove line 11');
  });
});
