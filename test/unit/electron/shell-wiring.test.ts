/**
 * The Electron shell cannot run here, so this checks its source for the wiring the unit-tested
 * modules rely on: the navigation rules come only from navigation-guards.ts, and the degraded
 * start-up from the same `openCoreOrStartup` serve uses (no second copy of either in a shell).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..', '..', '..');
const source = (path: string) => readFileSync(resolve(root, path), 'utf8');

describe('shell wiring', () => {
  const electron = source('main/electron/index.ts');
  const serve = source('main/cli/serve-command.ts');

  it('installs the navigation guards on the window and decides permissions with them', () => {
    expect(electron).toMatch(/installNavigationGuards\(win\.webContents,/);
    expect(electron).toMatch(/setPermissionRequestHandler\([\s\S]*?isPermissionGranted\(/);
    expect(electron).toMatch(/setPermissionCheckHandler\([\s\S]*?isPermissionGranted\(/);
    // No navigation rule of its own beside the guards.
    for (const own of [
      "'will-navigate'",
      "'will-redirect'",
      "'will-frame-navigate'",
      'setWindowOpenHandler',
    ]) {
      expect(electron, own).not.toContain(own);
    }
  });

  it('opens the core through openCoreOrStartup in both shells, with no copy of the start-up logic', () => {
    for (const [name, text] of [
      ['electron', electron],
      ['serve', serve],
    ] as const) {
      expect(text, name).toMatch(/openCoreOrStartup\(\{/);
      expect(text, name).not.toMatch(/createStartupCore|isDatabaseOpenFailure|new SwitchableCore/);
    }
  });
});
