import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../preload/contract';
import {
  FIXTURE_BIN,
  launchChromium,
  makeDataDir,
  openApp,
  removeDataDir,
  runCli,
  type ServeProcess,
  startServe,
} from './serve-harness';

const HAS_FAKE_NVIDIA_SMI = existsSync(join(FIXTURE_BIN, 'nvidia-smi'));

describe.skipIf(!HAS_FAKE_NVIDIA_SMI)('GPU status bar with (fake) NVIDIA GPUs', () => {
  let browser: Browser;
  let server: ServeProcess;
  let page: Page;

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await startServe({ dataDir: await makeDataDir(), fakeGpus: true });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterEach(async () => {
    await page?.context().close();
    await server?.stop();
    if (server !== undefined) await removeDataDir(server.dataDir);
  });

  it('shows every GPU nvidia-smi reports, with utilisation, memory, temperature and power', async () => {
    const report = (await runCli(server.dataDir, ['doctor'], { fakeGpus: true })) as DoctorReport;
    expect(report.gpu.gpus.length).toBeGreaterThan(0);

    await openApp(page, server);
    await page.locator('[data-testid="gpu-status"][data-state="ok"]').waitFor();
    const items = page.getByTestId('gpu-item');
    await items.first().waitFor();
    expect(await items.count()).toBe(report.gpu.gpus.length);
    for (const [position, gpu] of report.gpu.gpus.entries()) {
      const text = (await items.nth(position).textContent()) ?? '';
      expect(text).toContain(gpu.name);
      expect(text).toMatch(/\d+ %/);
      expect(text).toMatch(/[\d.]+ \/ [\d.]+ GiB/);
      expect(text).toMatch(/\d+ °C/);
      expect(text).toMatch(/\d+ W/);
    }
    expect(await page.getByTestId('gpu-none').count()).toBe(0);
    await page.screenshot({ path: '/tmp/shell-gpus.png' });
  });
});
