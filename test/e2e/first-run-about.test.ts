/**
 * The About panel (Settings): the app's version, Node, and the trainer's Python, torch, transformers,
 * peft and CUDA from the doctor's report — "not installed" said plainly. Electron's version shows
 * only in the desktop shell, which cannot run here (serve mode: no Electron row).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failWithoutPythonUnderCi, testPython } from '../helpers/real-trainer-harness';
import { useE2eSession } from './e2e-session';
import { openApp } from './serve-harness';

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

describe('the About panel without the trainer’s Python', () => {
  const e2e = useE2eSession({
    serveEnv: (dataDir) => ({ LORA_STUDIO_PYTHON: join(dataDir, 'no-such-python') }),
  });

  it('shows the app and Node versions and says plainly that Python and the packages are not installed', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/settings');
    const about = page.getByTestId('about-panel');
    await about.waitFor();
    expect(await page.getByTestId('about-app').textContent()).toBe(VERSION);
    expect(await page.getByTestId('about-electron').count()).toBe(0);
    await page.locator('[data-testid="about-node"][data-present="true"]').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('about-node').textContent()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await page.getByTestId('about-python').textContent()).toBe('not installed');
    for (const id of ['torch', 'transformers', 'peft', 'cuda'])
      expect(await page.getByTestId(`about-${id}`).textContent()).toBe('not installed (no Python)');
  });
});

failWithoutPythonUnderCi("the About panel with the trainer's Python");
describe.skipIf(!testPython)('the About panel with the trainer’s Python', () => {
  const e2e = useE2eSession({ serveEnv: () => ({ LORA_STUDIO_PYTHON: testPython as string }) });

  it('shows the versions the trainer’s Python reports (a CPU torch build says so)', async () => {
    const page = e2e.page();
    await openApp(page, e2e.server(), '#/settings');
    await page.locator('[data-testid="about-torch"][data-present="true"]').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('about-python').textContent()).toMatch(/^3\.\d+/);
    for (const id of ['torch', 'transformers', 'peft'])
      expect(await page.getByTestId(`about-${id}`).textContent()).toMatch(/^\d+\.\d+/);
    // No GPU here: the venv's torch is the CPU build, or a CUDA build whose version it names.
    expect(await page.getByTestId('about-cuda').textContent()).toMatch(
      /^(\d+\.\d+|none \(a CPU-only torch build\))$/,
    );
  });
});
