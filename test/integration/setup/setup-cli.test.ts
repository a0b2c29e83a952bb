import { mkdirSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NO_GPU_MESSAGE } from '../../../main/setup/setup-checks';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

const FIXTURE_BIN = resolve(import.meta.dirname, '..', '..', 'fixtures', 'bin');

describe('lora-studio setup', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('offline with no GPU and no Python: every step has a verdict and a way forward; exit 1', async () => {
    const emptyBin = join(tmp.dir, 'bin');
    mkdirSync(emptyBin);
    const dataDir = join(tmp.dir, 'data');
    const env = { HOME: tmp.dir, PATH: emptyBin, HF_HUB_OFFLINE: '1', HF_HOME: join(tmp.dir, 'hf') };
    const run = await runCli(['setup', '--json', '--data-dir', dataDir], env);
    expect(run.code, run.stderr).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.online).toBe(false);
    const byId = Object.fromEntries(report.steps.map((s: { id: string }) => [s.id, s]));
    expect(Object.keys(byId)).toEqual(['gpu', 'python', 'disk', 'model', 'dataset']);
    expect(byId.gpu).toMatchObject({ verdict: 'warn', message: NO_GPU_MESSAGE });
    expect(byId.python).toMatchObject({ verdict: 'fail', fix: { action: null } });
    expect(byId.python.fix.label).toMatch(/offline/);
    expect(byId.model.verdict).toBe('warn');
    expect(byId.model.message).toMatch(/offline/);
    expect(byId.dataset).toMatchObject({ verdict: 'warn', fix: { action: 'datasets.importSample' } });

    // The dataset step turns ok once the sample is in.
    expect((await runCli(['datasets', 'import', '--sample', '--data-dir', dataDir], env)).code).toBe(0);
    const again = JSON.parse((await runCli(['setup', '--json', '--data-dir', dataDir], env)).stdout);
    expect(again.steps.find((s: { id: string }) => s.id === 'dataset')).toMatchObject({ verdict: 'ok' });
    expect(again.steps.find((s: { id: string }) => s.id === 'dataset').message).toContain('250 valid rows');
  });

  it('with the fixture nvidia-smi the GPU step names the GPUs and the text report reads per step', async () => {
    const dataDir = join(tmp.dir, 'data');
    const env = {
      ...process.env,
      PATH: `${FIXTURE_BIN}${delimiter}${dirname(process.execPath)}`,
      HF_HUB_OFFLINE: '1',
      HF_HOME: join(tmp.dir, 'hf'),
    };
    const run = await runCli(['setup', '--data-dir', dataDir], env);
    expect(run.stdout).toMatch(/\[ok {2}\] gpu {6}2 NVIDIA GPUs: NVIDIA H100/);
    expect(run.stdout).toMatch(/\] python {3}\S/);
    expect(run.stdout).toContain('fix: Import the sample dataset: lora-studio datasets import --sample');
    expect(run.stdout).toContain('Offline: the Hub and PyPI did not answer.');
  });
});
