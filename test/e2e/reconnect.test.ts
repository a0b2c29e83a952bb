import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  launchChromium,
  makeDataDir,
  openApp,
  removeDataDir,
  runCli,
  type ServeProcess,
  startServe,
} from './serve-harness';

describe('serve mode connection loss', () => {
  let browser: Browser;
  let dataDir: string;
  let servers: ServeProcess[];
  let context: BrowserContext;
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
    context = await browser.newContext();
    page = await context.newPage();
  });
  afterEach(async () => {
    await context?.close();
    for (const server of servers ?? []) await server.stop();
    if (dataDir !== undefined) await removeDataDir(dataDir);
  });

  /** Restarts serve on the same port; it comes back with a new token, as a real restart does. */
  async function restartOnSamePort(): Promise<ServeProcess> {
    const previous = servers[servers.length - 1]!;
    const next = await startServe({ dataDir, port: previous.port });
    servers.push(next);
    return next;
  }

  /** What opening the new printed URL would do: store the new token in the cookie. */
  async function acceptNewToken(server: ServeProcess): Promise<void> {
    await context.addCookies([
      { name: `lora_studio_token_${server.port}`, value: server.token, url: server.origin },
    ]);
  }

  it('shows a banner while disconnected, explains a new token, and refetches once reconnected', async () => {
    await openApp(page, servers[0]!, '#/costs');
    expect(await page.getByTestId('costs-price').textContent()).toBe('0.3 EUR/kWh');
    expect(await page.getByTestId('connection-banner').count()).toBe(0);

    await servers[0]!.stop();
    const banner = page.getByTestId('connection-banner');
    await page.locator('[data-testid="connection-banner"][data-probe="unreachable"]').waitFor();
    expect(await banner.textContent()).toContain('reconnecting');

    await runCli(dataDir, ['settings', 'set', 'energy.pricePerKwh', '0.77']);
    const next = await restartOnSamePort();
    await page.locator('[data-testid="connection-banner"][data-probe="unauthorized"]').waitFor();
    expect(await banner.textContent()).toContain('new access token');

    await acceptNewToken(next);
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByTestId('costs-price').getByText('0.77 EUR/kWh').waitFor();
  });

  it('holds a request made while disconnected and sends it once the connection is back', async () => {
    await openApp(page, servers[0]!, '#/settings');
    await page.getByTestId('settings-price').fill('0.5');
    await servers[0]!.stop();
    await page.getByTestId('connection-banner').waitFor();

    const next = await restartOnSamePort();
    await page.getByTestId('settings-save').click();
    expect(await page.getByTestId('settings-save').textContent()).toBe('Saving…');
    await acceptNewToken(next);
    await page.getByTestId('settings-saved').waitFor({ timeout: 15_000 });

    expect(await runCli(dataDir, ['settings', 'get', 'energy.pricePerKwh'])).toBe(0.5);
  });
});
