import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  launchChromium,
  makeDataDir,
  openApp,
  removeDataDir,
  type ServeProcess,
  startServe,
} from './serve-harness';

describe('settings page', () => {
  let browser: Browser;
  let dataDir: string;
  let servers: ServeProcess[];
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    dataDir = await makeDataDir();
    servers = [await startServe({ dataDir })];
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterEach(async () => {
    await page?.context().close();
    for (const server of servers ?? []) await server.stop();
    if (dataDir !== undefined) await removeDataDir(dataDir);
  });

  const server = () => servers[servers.length - 1]!;

  it('shows the data folder and the database path', async () => {
    await openApp(page, server(), '#/settings');
    expect(await page.getByTestId('settings-data-dir').textContent()).toBe(dataDir);
    expect(await page.getByTestId('settings-db-path').textContent()).toContain(dataDir);
  });

  it('saves the electricity price, and it is still there after a restart', async () => {
    await openApp(page, server(), '#/settings');
    const price = page.getByTestId('settings-price');
    const save = page.getByTestId('settings-save');
    expect(await price.inputValue()).toBe('0.3');
    expect(await save.isDisabled()).toBe(true);

    await price.fill('0.42');
    await page.getByTestId('settings-currency').fill('usd');
    expect(await page.getByTestId('settings-currency').inputValue()).toBe('USD');
    expect(await save.isEnabled()).toBe(true);
    await save.click();
    await page.getByTestId('settings-saved').waitFor();
    expect(await save.isDisabled()).toBe(true);

    await page.context().close();
    await server().stop();
    servers.push(await startServe({ dataDir }));
    page = await browser.newPage();
    await openApp(page, server(), '#/settings');
    expect(await page.getByTestId('settings-price').inputValue()).toBe('0.42');
    expect(await page.getByTestId('settings-currency').inputValue()).toBe('USD');
    await page.getByTestId('nav-costs').click();
    expect(await page.getByTestId('costs-price').textContent()).toBe('0.42 USD/kWh');
  });

  it("shows the core's validation message on the field and keeps the value unsaved", async () => {
    await openApp(page, server(), '#/settings');
    await page.getByTestId('settings-currency').fill('EU');
    await page.getByTestId('settings-save').click();
    const error = page.getByTestId('settings-currency-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('three-letter');
    expect(await page.getByTestId('settings-currency').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByTestId('settings-saved').count()).toBe(0);

    await page.getByTestId('settings-price').fill('-1');
    await page.getByTestId('settings-currency').fill('GBP');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-price-error').waitFor();
    expect(await page.getByTestId('settings-currency-error').count()).toBe(0);

    await page.getByTestId('settings-discard').click();
    expect(await page.getByTestId('settings-price').inputValue()).toBe('0.3');
    expect(await page.getByTestId('settings-save').isDisabled()).toBe(true);
  });

  it('applies the theme setting to the page', async () => {
    await openApp(page, server(), '#/settings');
    await page.getByTestId('settings-theme').selectOption('dark');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await page.waitForFunction("document.documentElement.dataset.theme === 'dark'");
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(19, 21, 24)');
    await page.screenshot({ path: '/tmp/settings-dark.png', fullPage: true });
  });

  it('runs the system checks and shows the report', async () => {
    await openApp(page, server(), '#/settings');
    await page.getByTestId('doctor-report').waitFor();
    expect(await page.getByTestId('doctor-gpus').textContent()).toContain('No NVIDIA GPU');
    expect(await page.getByTestId('doctor-disk').textContent()).toContain('GB');
    await page.getByTestId('settings-python-detected').waitFor();
    await page.getByTestId('doctor-run').click();
    await page.getByTestId('doctor-run').getByText('Run checks').waitFor();
    await page.getByTestId('doctor-problems').waitFor();
  });
});
