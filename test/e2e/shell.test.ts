import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { openApp } from './serve-harness';

describe('app shell in serve mode', () => {
  const e2e = useE2eSession();

  it('loads and says there is no NVIDIA GPU, and that dataset work is still available', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server());
    const status = page.getByTestId('gpu-status');
    await status.locator('[data-testid="gpu-none"]').waitFor();
    expect(await status.getAttribute('data-state')).toMatch(/^(no-nvidia-smi|no-gpu)$/);
    const text = await status.textContent();
    expect(text).toContain('No NVIDIA GPU');
    expect(text).toContain('training needs an NVIDIA GPU');
    // The token was moved from the address bar into a cookie; the app landed on Datasets.
    expect(page.url()).not.toContain('token=');
    expect(await page.getByTestId('page-title').textContent()).toBe('Datasets');
    await page.screenshot({ path: '/tmp/shell.png' });
  });

  it('goes to each page from the sidebar, and with Ctrl+1…6', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server());
    const pages = [
      ['datasets', 'Datasets'],
      ['training', 'Training'],
      ['models', 'Models'],
      ['costs', 'Costs'],
      ['settings', 'Settings'],
      ['gpus', 'GPUs'],
    ] as const;
    for (const [id, title] of pages) {
      await page.getByTestId(`nav-${id}`).click();
      await page.getByTestId(`page-${id}`).waitFor();
      expect(await page.getByTestId('page-title').textContent()).toBe(title);
      expect(await page.getByTestId(`nav-${id}`).getAttribute('aria-current')).toBe('page');
      expect(new URL(page.url()).hash).toBe(`#/${id}`);
    }
    for (const [index, [id]] of pages.entries()) {
      await page.keyboard.press(`Control+${index + 1}`);
      await page.getByTestId(`page-${id}`).waitFor();
    }
  });

  it('shows honest empty states that say what to do next', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/datasets');
    const datasets = await page.getByTestId('datasets-empty').textContent();
    expect(datasets).toContain('No datasets yet');
    expect(datasets).toContain('lora-studio datasets import FILE');
    await page.getByTestId('nav-training').click();
    expect(await page.getByTestId('training-empty').textContent()).toContain('lora-studio jobs create');
    await page.getByTestId('training-no-gpu').waitFor();
    await page.getByTestId('nav-costs').click();
    expect(await page.getByTestId('costs-price').textContent()).toBe('0.3 EUR/kWh');
  });

  it('shows a start-up error screen when app.info fails, and Retry recovers', async () => {
    const page = e2e.page();
    let failing = true;
    await page.routeWebSocket(/\/ws$/, (ws) => {
      const upstream = ws.connectToServer();
      ws.onMessage((message) => {
        const request = JSON.parse(String(message)) as { id: number; channel: string };
        if (request.channel === 'app.info' && failing) {
          const error = { code: 'INTERNAL', message: 'The database could not be opened: disk I/O error' };
          ws.send(JSON.stringify({ type: 'result', id: request.id, result: { ok: false, error } }));
        } else {
          upstream.send(message);
        }
      });
    });
    await page.goto(e2e.server().url);
    await page.getByTestId('startup-error').waitFor();
    expect(await page.getByTestId('startup-error-message').textContent()).toBe(
      'The database could not be opened: disk I/O error',
    );
    expect(await page.getByTestId('app-shell').count()).toBe(0);

    failing = false;
    await page.getByTestId('startup-retry').click();
    await page.getByTestId('app-shell').waitFor();
  });

  it('opens the notifications popover and closes it with Escape', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server());
    const bell = page.getByTestId('notifications-bell');
    expect(await page.getByTestId('notifications-unread').count()).toBe(0);
    await bell.click();
    await page.getByTestId('notifications-empty').waitFor();
    expect(await bell.getAttribute('aria-expanded')).toBe('true');
    expect(await page.getByTestId('notifications-mark-all').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await page.getByTestId('notifications-popover').waitFor({ state: 'detached' });
    expect(await page.evaluate<string>('document.activeElement?.dataset.testid')).toBe('notifications-bell');
  });
});
