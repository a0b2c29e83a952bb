import { describe, expect, it } from 'vitest';
import { NO_GPU_MESSAGE, type SetupFacts, setupReport } from '../../../main/setup/setup-checks';
import { torchBuildFor } from '../../../main/setup/torch-build';
import type { DoctorReport } from '../../../preload/contract';

const doctor = (over: Partial<DoctorReport> = {}): DoctorReport => ({
  app: { version: '1.0.0', node: '20.20.0', platform: 'linux', arch: 'x64' },
  dataDir: '/data',
  sqlite: { version: '3.45.0' },
  gpu: {
    state: 'ok',
    message: null,
    driverVersion: '550.54.15',
    cudaVersion: '12.4',
    gpus: [{ index: 0, name: 'NVIDIA RTX 4090', memoryTotalMb: 24_564 }],
  },
  disk: { path: '/data', totalGb: 1000, freeGb: 400 },
  memory: { totalMb: 64_000, freeMb: 32_000 },
  cpu: { model: 'x', cores: 16 },
  python: { path: '/usr/bin/python3', version: '3.11.7', source: 'path', problem: null },
  packages: null,
  problems: [],
  ...over,
});

const trainerOk = (cuda: string | null = '12.4') =>
  ({
    doctor: {
      ok: true,
      python: '3.11.7',
      torch: '2.5.1',
      cuda,
      transformers: '4.46.0',
      peft: '0.13.2',
      accelerate: '1.1.0',
      bitsandbytes: null,
      flash_attn: null,
      bf16: true,
    },
    problem: null,
  }) as unknown as SetupFacts['trainer'];

const facts = (over: Partial<SetupFacts> = {}): SetupFacts => ({
  doctor: doctor(),
  trainer: trainerOk(),
  models: [{ name: 'Qwen2.5-0.5B-Instruct', source: 'hf-cache' }],
  datasets: [{ name: 'chats', valid: 100, status: 'ready' }],
  online: true,
  ...over,
});

const step = (f: SetupFacts, id: string) => setupReport(f).steps.find((s) => s.id === id);

describe('first-run checks', () => {
  it('reports every step ok on a ready workstation, in order', () => {
    const report = setupReport(facts());
    expect(report.steps.map((s) => [s.id, s.verdict])).toEqual([
      ['gpu', 'ok'],
      ['python', 'ok'],
      ['disk', 'ok'],
      ['model', 'ok'],
      ['dataset', 'ok'],
    ]);
    expect(report.steps[0]?.message).toContain('NVIDIA RTX 4090 (24 GiB)');
  });

  it('no GPU: says what still works, and the torch build it suggests is the CPU one', () => {
    const f = facts({
      doctor: doctor({
        gpu: {
          state: 'no-nvidia-smi',
          message: 'nvidia-smi not found',
          driverVersion: null,
          cudaVersion: null,
          gpus: [],
        },
      }),
      trainer: { doctor: null, problem: 'No module named torch' },
    });
    expect(step(f, 'gpu')).toMatchObject({ verdict: 'warn', message: NO_GPU_MESSAGE });
    expect(step(f, 'python')).toMatchObject({
      verdict: 'fail',
      fix: {
        action: 'python.setup',
        command: 'pip install torch --index-url https://download.pytorch.org/whl/cpu',
      },
    });
  });

  it('offline: the Python fix says pip cannot download (no button), the model step says to copy a folder', () => {
    const f = facts({ online: false, trainer: { doctor: null, problem: 'no torch' }, models: [] });
    const python = step(f, 'python');
    expect(python?.fix?.action).toBeNull();
    expect(python?.fix?.label).toMatch(/offline/);
    expect(step(f, 'model')).toMatchObject({ verdict: 'warn', fix: null });
    expect(step(f, 'model')?.message).toMatch(/offline: copy a model folder/);
  });

  it('no dataset: the fix is the one-click sample import', () => {
    expect(step(facts({ datasets: [] }), 'dataset')).toMatchObject({
      verdict: 'warn',
      fix: { action: 'datasets.importSample', command: 'lora-studio datasets import --sample' },
    });
  });

  it('flags a CPU torch or a torch newer than the driver, naming the build that fits', () => {
    expect(step(facts({ trainer: trainerOk(null) }), 'python')).toMatchObject({
      verdict: 'warn',
      fix: { command: 'pip install torch --index-url https://download.pytorch.org/whl/cu124' },
    });
    expect(step(facts({ trainer: trainerOk('12.8') }), 'python')?.verdict).toBe('warn');
  });

  it('fails a nearly full disk and warns a tight one', () => {
    expect(
      step(facts({ doctor: doctor({ disk: { path: '/d', totalGb: 100, freeGb: 5 } }) }), 'disk')?.verdict,
    ).toBe('fail');
    expect(
      step(facts({ doctor: doctor({ disk: { path: '/d', totalGb: 100, freeGb: 30 } }) }), 'disk')?.verdict,
    ).toBe('warn');
  });

  it('picks the newest torch build the driver can run', () => {
    expect(torchBuildFor('12.4').tag).toBe('cu124');
    expect(torchBuildFor('12.5').tag).toBe('cu124');
    expect(torchBuildFor('13.0').tag).toBe('cu128');
    expect(torchBuildFor('11.8').tag).toBe('cu118');
    expect(torchBuildFor('11.4').tag).toBe('cpu');
    expect(torchBuildFor(null).tag).toBe('cpu');
  });
});
