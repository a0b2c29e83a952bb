/**
 * SEC-electronegativity: the scanner runs over the built app (out/, built by `npm test` before this
 * step) and every finding must be in test/security/electronegativity-allow.json with its reason.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');

interface Finding {
  readonly id: string;
  readonly file: string;
  readonly line: number | null;
  readonly severity: string | null;
}

describe('SEC-electronegativity', () => {
  it('finds nothing in the built app beyond the allow-list, each entry with a reason', () => {
    expect(
      existsSync(join(ROOT, 'out', 'main', 'index.js')),
      'out/ is missing: run `npx electron-vite build`',
    ).toBe(true);
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts', 'run-electronegativity.cjs'), 'out'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(run.status, run.stderr).toBe(0);
    // The scanner logs its own lines on stdout first; the result is the last line.
    const result = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '') as {
      errors: number;
      issues: Finding[];
    };
    expect(result.errors).toBe(0);
    const allow = JSON.parse(
      readFileSync(join(ROOT, 'test', 'security', 'electronegativity-allow.json'), 'utf8'),
    ) as {
      accepted: Array<{ id: string; file: string; reason: string }>;
    };
    for (const entry of allow.accepted) expect(entry.reason.length).toBeGreaterThan(20);
    const unexplained = result.issues.filter(
      (i) => !allow.accepted.some((a) => a.id === i.id && a.file === i.file),
    );
    console.info(
      `SEC-electronegativity: ${result.issues.length} findings, ${result.issues.length - unexplained.length} accepted with a reason, ${unexplained.length} unexplained`,
    );
    expect(unexplained).toEqual([]);
  }, 200_000);
});
