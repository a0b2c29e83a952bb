import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { type E2eSession, useE2eSession } from './e2e-session';
import { openApp } from './serve-harness';

/** A chat row in OpenAI form; `i` makes its text unique. */
export function chatRow(i: number, extra = ''): object {
  return {
    messages: [
      { role: 'system', content: 'You answer briefly.' },
      { role: 'user', content: `Question number ${i}: what is ${i} plus ${i}? ${extra}`.trim() },
      { role: 'assistant', content: `It is ${i + i}.` },
    ],
  };
}

/** Writes rows as JSON lines (or raw strings as they are) into `dir/name`; returns the path. */
export async function writeJsonl(
  dir: string,
  name: string,
  rows: ReadonlyArray<object | string>,
): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, `${rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n')}\n`);
  return path;
}

/** Writes a text file as given; returns the path. */
export async function writeText(dir: string, name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

/** What each datasets e2e test gets: the shared e2e session (served app, page, input folder). */
export type DatasetsE2e = E2eSession;

/** The datasets tests' session: a fresh data folder, serve and page per test, at a roomy size. */
export function useDatasetsE2e(): DatasetsE2e {
  return useE2eSession({ viewport: { width: 1400, height: 900 } });
}

/** Waits until `read` returns what `check` accepts, failing with the last value seen. */
export async function until<T>(
  read: () => Promise<T>,
  check: (value: T) => boolean,
  timeout = 20_000,
): Promise<T> {
  await expect.poll(async () => check(await read()), { timeout, interval: 50 }).toBe(true);
  return read();
}

/** The number a `data-value` / `data-total` attribute holds. */
export async function numberAttr(page: Page, testId: string, attr = 'data-value'): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute(attr));
}

/** Waits for a count in the dataset header to read `value`. */
export async function expectCount(page: Page, testId: string, value: number): Promise<void> {
  await until(
    () => numberAttr(page, testId),
    (n) => n === value,
  );
}

/** Waits for the row browser's total to read `value`. */
export async function expectTotal(page: Page, value: number): Promise<void> {
  await until(
    () => page.getByTestId('rows-total').getAttribute('data-total'),
    (total) => total === String(value),
  );
}

/** Opens the import dialog, inspects `path`, and waits for the inspection. */
export async function inspectThroughUi(page: Page, path: string): Promise<void> {
  await page.getByTestId('datasets-import').click();
  await page.getByTestId('import-path').fill(path);
  await page.getByTestId('import-inspect').click();
  await page.getByTestId('import-inspection').waitFor();
}

/** Imports a file through the UI (open, path, inspect, import) and returns the new dataset's id. */
export async function importThroughUi(e2e: DatasetsE2e, path: string, name?: string): Promise<string> {
  const page = e2e.page();
  if ((await page.getByTestId('page-datasets').count()) === 0)
    await openApp(page, e2e.server(), '#/datasets');
  await inspectThroughUi(page, path);
  if (name !== undefined) await page.getByTestId('import-name').fill(name);
  await page.getByTestId('import-start').click();
  const loaded = page.locator('[data-testid="page-dataset"][data-dataset-id]');
  await loaded.waitFor({ timeout: 30_000 }).catch((error: unknown) => {
    throw new Error(`the dataset page did not open after importing ${path}`, { cause: error });
  });
  return (await loaded.getAttribute('data-dataset-id'))!;
}
