import { spawnSync } from 'node:child_process';
import { statfsSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { NO_GPU_PROBLEM, runDoctor } from '../../../main/telemetry/doctor';
import { resolvePython } from '../../../main/telemetry/resolve-python';
import { DoctorReportSchema } from '../../../preload/contract';
import { makeTempDir } from '../../helpers/temp-dir';
import { envWithFakeSmi, writeScript } from './telemetry-env';

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function tempDir(): string {
  const t = makeTempDir();
  cleanups.push(t.cleanup);
  return t.dir;
}

const base = { appVersion: '0.1.0-test', sqliteVersion: '3.50.4' };

describe('doctor', () => {
  it('reports the fake GPUs with driver and CUDA versions, and this machine’s real CPU, memory and disk', async () => {
    const dataDir = tempDir();
    const report = await runDoctor({ ...base, dataDir, env: envWithFakeSmi('ok') });
    expect(DoctorReportSchema.parse(report)).toEqual(report);
    expect(report.app).toEqual({
      version: '0.1.0-test',
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
    });
    expect(report.sqlite.version).toBe('3.50.4');
    expect(report.gpu).toEqual({
      state: 'ok',
      message: null,
      driverVersion: '550.54.15',
      cudaVersion: '12.4',
      gpus: [
        { index: 0, name: 'NVIDIA H100 80GB HBM3', memoryTotalMb: 81559 },
        { index: 1, name: 'NVIDIA H100 80GB HBM3', memoryTotalMb: 81559 },
      ],
    });
    expect(report.cpu.cores).toBe(cpus().length);
    expect(report.cpu.model.length).toBeGreaterThan(0);
    expect(Math.abs(report.memory.totalMb - totalmem() / 2 ** 20)).toBeLessThan(1);
    expect(report.memory.freeMb).toBeGreaterThan(0);
    expect(report.memory.freeMb).toBeLessThanOrEqual(report.memory.totalMb);
    const fs = statfsSync(dataDir);
    expect(report.disk.path).toBe(dataDir);
    expect(report.disk.totalGb).toBeCloseTo((fs.blocks * fs.bsize) / 2 ** 30, 1);
    expect(report.disk.freeGb).toBeGreaterThan(0);
    expect(report.problems).not.toContain(NO_GPU_PROBLEM);
  });

  it('finds the real Python on PATH and reports its version', async () => {
    const env = envWithFakeSmi('ok', { LORA_STUDIO_PYTHON: '' });
    const report = await runDoctor({ ...base, dataDir: tempDir(), env });
    const expected = await resolvePython({ env });
    expect(report.python.source).toBe(expected.source);
    expect(report.python.path).toBe(expected.path);
    if (expected.path) {
      const real = spawnSync(expected.path, ['--version'], { encoding: 'utf8' });
      const version = /Python (\S+)/.exec(`${real.stdout}${real.stderr}`)?.[1] ?? null;
      expect(report.python.version).toBe(version);
    }
  });

  it('says there is no NVIDIA GPU and no Python when PATH has neither', async () => {
    const emptyBin = tempDir();
    const report = await runDoctor({ ...base, dataDir: tempDir(), env: { PATH: emptyBin } });
    expect(report.gpu).toMatchObject({
      state: 'no-nvidia-smi',
      driverVersion: null,
      cudaVersion: null,
      gpus: [],
    });
    expect(report.gpu.message).toMatch(/^nvidia-smi not found on PATH/);
    expect(report.python).toEqual({
      path: null,
      version: null,
      source: 'none',
      problem: expect.stringMatching(/^No Python interpreter found/),
    });
    expect(report.problems).toEqual([NO_GPU_PROBLEM, report.python.problem]);
  });

  it('says there is no GPU when the driver does not answer', async () => {
    const report = await runDoctor({ ...base, dataDir: tempDir(), env: envWithFakeSmi('driver-fail') });
    expect(report.gpu.state).toBe('no-gpu');
    expect(report.gpu.message).toMatch(/couldn't communicate with the NVIDIA driver/);
    expect(report.problems).toContain(NO_GPU_PROBLEM);
  });

  it('prefers LORA_STUDIO_PYTHON, then the python.path setting, then PATH', async () => {
    const bin = tempDir();
    const fromEnv = writeScript(bin, 'env-python', 'echo "Python 3.12.3"');
    const fromSetting = writeScript(bin, 'setting-python', 'echo "Python 3.11.9"');
    writeScript(bin, 'python3', 'echo "Python 3.10.14"');
    const env = { ...envWithFakeSmi('ok'), PATH: bin };

    const a = await runDoctor({
      ...base,
      dataDir: bin,
      env: { ...env, LORA_STUDIO_PYTHON: fromEnv },
      pythonSetting: fromSetting,
    });
    expect(a.python).toEqual({ path: fromEnv, version: '3.12.3', source: 'env', problem: null });

    const b = await runDoctor({ ...base, dataDir: bin, env, pythonSetting: fromSetting });
    expect(b.python).toEqual({ path: fromSetting, version: '3.11.9', source: 'setting', problem: null });

    const c = await runDoctor({ ...base, dataDir: bin, env });
    expect(c.python).toEqual({
      path: join(bin, 'python3'),
      version: '3.10.14',
      source: 'path',
      problem: null,
    });
  });

  it('takes an interpreter chosen by the caller, or a resolver', async () => {
    const bin = tempDir();
    const py = writeScript(bin, 'py', 'echo "Python 3.13.0"');
    const env = envWithFakeSmi('ok');
    const given = await runDoctor({ ...base, dataDir: bin, env, python: { path: py, source: 'setting' } });
    expect(given.python).toMatchObject({ path: py, version: '3.13.0', source: 'setting' });
    const resolved = await runDoctor({
      ...base,
      dataDir: bin,
      env,
      python: async () => ({ path: py, source: 'env' }),
    });
    expect(resolved.python).toMatchObject({ path: py, version: '3.13.0', source: 'env' });
  });

  it('explains a Python that is missing, too old, broken or hanging', async () => {
    const bin = tempDir();
    const env = envWithFakeSmi('ok');
    const run = (path: string) =>
      runDoctor({ ...base, dataDir: bin, env, python: { path, source: 'setting' }, timeoutMs: 2000 });

    const missing = await run(join(bin, 'nope'));
    expect(missing.python.problem).toBe(`Python interpreter ${join(bin, 'nope')} was not found.`);

    const old = await run(writeScript(bin, 'old', 'echo "Python 3.8.10"'));
    expect(old.python).toMatchObject({
      version: '3.8.10',
      problem: expect.stringMatching(/too old.*3\.10 or newer/),
    });
    expect(old.problems).toContain(old.python.problem);

    const broken = await run(
      writeScript(bin, 'broken', 'echo "pyenv: python3: command not found" >&2; exit 127'),
    );
    expect(broken.python.version).toBeNull();
    expect(broken.python.problem).toMatch(
      /--version failed \(exit code 127\): pyenv: python3: command not found$/,
    );

    const hanging = await run(writeScript(bin, 'hang', 'exec sleep 30'));
    expect(hanging.python.problem).toMatch(/--version did not answer within 2 s\.$/);
  });

  it('reports the disk of a data folder that does not exist yet', async () => {
    const parent = tempDir();
    const dataDir = join(parent, 'not', 'yet');
    const report = await runDoctor({ ...base, dataDir, env: envWithFakeSmi('ok') });
    expect(report.disk.path).toBe(dataDir);
    expect(report.disk.totalGb).toBeGreaterThan(0);
  });
});
