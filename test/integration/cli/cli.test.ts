import { cpus, totalmem } from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

describe('the lora-studio CLI', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('doctor --json prints one JSON object of real facts about this machine', async () => {
    const env = { ...process.env, PATH: `/nonexistent:${process.env.PATH}` };
    const { code, stdout } = await runCli(['doctor', '--json', '--data-dir', tmp.dir], env);
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.dataDir).toBe(tmp.dir);
    expect(report.cpu.cores).toBe(cpus().length);
    expect(Math.abs(report.memory.totalMb - totalmem() / 1024 / 1024)).toBeLessThan(2);
    expect(report.disk.freeGb).toBeGreaterThan(0);
    expect(report.sqlite.version).toMatch(/^3\.\d+\.\d+$/);
    expect(['ok', 'no-nvidia-smi', 'no-gpu', 'error']).toContain(report.gpu.state);
  }, 30_000);

  it('settings set then get round-trips through the database, in separate processes', async () => {
    const set = await runCli([
      'settings',
      'set',
      'energy.pricePerKwh',
      '0.37',
      '--json',
      '--data-dir',
      tmp.dir,
    ]);
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toEqual({ key: 'energy.pricePerKwh', value: 0.37 });
    const get = await runCli(['settings', 'get', 'energy.pricePerKwh', '--json'], {
      ...process.env,
      LORA_STUDIO_HOME: tmp.dir,
    });
    expect(get.code).toBe(0);
    expect(JSON.parse(get.stdout)).toBe(0.37);
  }, 30_000);

  it('fails with a JSON error and a non-zero exit code on bad input', async () => {
    const bad = await runCli(['settings', 'set', 'energy.currency', 'euro', '--json', '--data-dir', tmp.dir]);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toEqual({
      error: { code: 'BAD_INPUT', message: expect.stringContaining('three-letter') },
    });
    const unknown = await runCli(['frobnicate', '--json', '--data-dir', tmp.dir]);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe('USAGE');
    const human = await runCli(['settings', 'get', 'nope', '--data-dir', tmp.dir]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/Unknown setting "nope"/);
  }, 30_000);
});
