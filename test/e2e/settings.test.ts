import { describe, expect, it } from 'vitest';
import { useE2eSession } from './e2e-session';
import { openApp } from './serve-harness';

describe('settings page', () => {
  const e2e = useE2eSession({ viewport: { width: 1280, height: 900 } });

  it('shows the data folder and the database path', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/settings');
    expect(await page.getByTestId('settings-data-dir').textContent()).toBe(e2e.dataDir());
    expect(await page.getByTestId('settings-db-path').textContent()).toContain(e2e.dataDir());
  });

  it('saves the electricity price, and it is still there after a restart', async () => {
    let page = e2e.page();
    await openApp(page, e2e.server(), '#/settings');
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

    await page.close();
    await e2e.server().stop();
    await e2e.startServe();
    page = await e2e.context().newPage();
    await openApp(page, e2e.server(), '#/settings');
    expect(await page.getByTestId('settings-price').inputValue()).toBe('0.42');
    expect(await page.getByTestId('settings-currency').inputValue()).toBe('USD');
    await page.getByTestId('nav-costs').click();
    expect(await page.getByTestId('costs-price').textContent()).toBe('0.42 USD/kWh');
  });

  it("shows the core's validation message on the field and keeps the value unsaved", async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/settings');
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
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/settings');
    await page.getByTestId('settings-theme').selectOption('dark');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();
    await page.waitForFunction("document.documentElement.dataset.theme === 'dark'");
    const background = await page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(background).toBe('rgb(19, 21, 24)');
    await page.screenshot({ path: '/tmp/settings-dark.png', fullPage: true });
  });

  it('runs the system checks and shows the report', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/settings');
    await page.getByTestId('doctor-report').waitFor();
    expect(await page.getByTestId('doctor-gpus').textContent()).toContain('No NVIDIA GPU');
    expect(await page.getByTestId('doctor-disk').textContent()).toContain('GB');
    await page.getByTestId('settings-python-detected').waitFor();
    await page.getByTestId('doctor-run').click();
    await page.getByTestId('doctor-run').getByText('Run checks').waitFor();
    await page.getByTestId('doctor-problems').waitFor();
  });

  it('lists the database backups serve took at start, and "Back up now" adds one', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/settings');
    const rows = page.getByTestId('backup-row');
    await rows.first().waitFor();
    const before = await rows.count();
    expect(before).toBeGreaterThanOrEqual(1);
    expect(await rows.first().textContent()).toMatch(/rolling.*lora-studio\.db\..*\.rolling\.bak/);
    await page.getByTestId('backup-now').click();
    expect(before).toBeLessThan(7); // a fresh folder: the start-up backup only
    await rows.nth(before).waitFor();
    expect(await rows.count()).toBe(before + 1);
  });
});
