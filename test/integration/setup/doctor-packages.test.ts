import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

/** A fresh venv (no pip, no torch): the interpreter of a fresh install before setup. */
function pythonWithoutTorch(dir: string): string {
  const made = spawnSync('python3', ['-m', 'venv', '--without-pip', dir], { encoding: 'utf8' });
  if (made.status !== 0)
    throw new Error(`python3 -m venv failed (the trainer needs python3): ${made.stderr}`);
  return join(dir, process.platform === 'win32' ? 'Scripts/python.exe' : 'bin/python');
}

describe("doctor reports the trainer's packages", () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('says torch is missing when the interpreter has none', async () => {
    const python = pythonWithoutTorch(join(tmp.dir, 'venv'));
    const run = await runCli(['doctor', '--json', '--data-dir', join(tmp.dir, 'data')], {
      ...process.env,
      LORA_STUDIO_PYTHON: python,
    });
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.packages).toMatchObject({ torch: null });
    expect(report.problems.join('\n')).toMatch(/torch is missing: nothing can train/);
    const text = await runCli(['doctor', '--data-dir', join(tmp.dir, 'data')], {
      ...process.env,
      LORA_STUDIO_PYTHON: python,
    });
    expect(text.stdout).toMatch(/Packages: {4}torch MISSING/);
  }, 60_000);
});
