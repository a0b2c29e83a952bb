import { describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../preload/contract';
import { useE2eSession } from './e2e-session';
import { openApp, runCli } from './serve-harness';

// No skip when test/fixtures/bin/nvidia-smi is missing: the harness fails the test and says so.
describe('GPU status bar with (fake) NVIDIA GPUs', () => {
  const e2e = useE2eSession({ fakeGpus: true });

  it('shows every GPU nvidia-smi reports, with utilisation, memory, temperature and power', async () => {
    const page = e2e.page();
    const report = (await runCli(e2e.dataDir(), ['doctor'], { fakeGpus: true })) as DoctorReport;
    expect(report.gpu.gpus.length).toBeGreaterThan(0);

    await openApp(page, e2e.server());
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
