import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { openApp, runCli, type ServeProcess } from './serve-harness';

describe('serve mode connection loss', () => {
  const e2e = useE2eSession();

  /** Restarts serve on the same port; with `newToken` as `serve --new-token` (old tabs locked out). */
  function restartOnSamePort(newToken = false): Promise<ServeProcess> {
    return e2e.startServe({ port: e2e.server().port, newToken });
  }

  /** What opening the new printed URL would do: store the new token in the cookie. */
  async function acceptNewToken(server: ServeProcess): Promise<void> {
    await e2e
      .context()
      .addCookies([{ name: `lora_studio_token_${server.port}`, value: server.token, url: server.origin }]);
  }

  it('reconnects by itself after a restart, explains a rotated token, and refetches once reconnected', async () => {
    const page = e2e.page();
    const first = e2e.server();
    await openApp(page, first, '#/costs');
    expect(await page.getByTestId('costs-price').textContent()).toBe('0.3 EUR/kWh');
    expect(await page.getByTestId('connection-banner').count()).toBe(0);

    await first.stop();
    const banner = page.getByTestId('connection-banner');
    await page.locator('[data-testid="connection-banner"][data-probe="unreachable"]').waitFor();
    expect(await banner.textContent()).toContain('reconnecting');

    // A plain restart keeps the token (it lives in the data folder): the tab reconnects by itself.
    await runCli(e2e.dataDir(), ['settings', 'set', 'energy.pricePerKwh', '0.66']);
    const same = await restartOnSamePort();
    expect(same.token).toBe(first.token);
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByTestId('costs-price').getByText('0.66 EUR/kWh').waitFor();

    await same.stop();
    await page.locator('[data-testid="connection-banner"][data-probe="unreachable"]').waitFor();
    await runCli(e2e.dataDir(), ['settings', 'set', 'energy.pricePerKwh', '0.77']);
    const next = await restartOnSamePort(true);
    expect(next.token).not.toBe(first.token);
    await page.locator('[data-testid="connection-banner"][data-probe="unauthorized"]').waitFor();
    expect(await banner.textContent()).toContain('new access token');

    await acceptNewToken(next);
    await banner.waitFor({ state: 'detached', timeout: 15_000 });
    await page.getByTestId('costs-price').getByText('0.77 EUR/kWh').waitFor();
  });

  it('holds a request made while disconnected and sends it once the connection is back', async () => {
    const page = e2e.page();
    const first = e2e.server();
    await openApp(page, first, '#/settings');
    await page.getByTestId('settings-price').fill('0.5');
    await first.stop();
    await page.getByTestId('connection-banner').waitFor();

    const next = await restartOnSamePort(true);
    await page.getByTestId('settings-save').click();
    expect(await page.getByTestId('settings-save').textContent()).toBe('Saving…');
    await acceptNewToken(next);
    await page.getByTestId('settings-saved').waitFor({ timeout: 15_000 });

    expect(await runCli(e2e.dataDir(), ['settings', 'get', 'energy.pricePerKwh'])).toBe(0.5);
  });
});
