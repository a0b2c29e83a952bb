import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LaunchParams, launchSlug, renderLaunchFiles } from '../../../main/cluster/launch-files';
import { pinRequirements } from '../../../main/cluster/pinned-requirements';

const TEMPLATES = resolve(import.meta.dirname, '..', '..', '..', 'resources', 'trainer', 'launch');
const PARAMS: LaunchParams = {
  jobId: 'job_1',
  jobName: 'Llama "8B" run\nsecond line',
  baseModelPath: '/models/with space/llama',
  nodes: 2,
  gpusPerNode: 4,
  time: '1-12:00:00',
  partition: 'gpu-long',
  cpusPerTask: 16,
  accelerator: 'H100',
};

describe('launch files', () => {
  it('fills every placeholder, and the shell files stay valid bash', async () => {
    const files = await renderLaunchFiles(TEMPLATES, ['torchrun', 'accelerate', 'slurm', 'skypilot'], PARAMS);
    expect(Object.keys(files).sort()).toEqual([
      'accelerate-config.yaml',
      'accelerate.sh',
      'common.sh',
      'skypilot.yaml',
      'slurm.sbatch',
      'torchrun.sh',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'launch-'));
    try {
      for (const [name, text] of Object.entries(files)) {
        expect(text, name).not.toMatch(/@@[A-Z_]+@@/);
        if (!name.endsWith('.yaml')) {
          writeFileSync(join(dir, name), text);
          const check = spawnSync('bash', ['-n', join(dir, name)], { encoding: 'utf8' });
          expect(check.status, `${name}: ${check.stderr}`).toBe(0);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const sbatch = files['slurm.sbatch'] as string;
    for (const line of [
      '#SBATCH --nodes=2',
      '#SBATCH --gpus-per-node=4',
      '#SBATCH --time=1-12:00:00',
      '#SBATCH --partition=gpu-long',
      '#SBATCH --cpus-per-task=16',
      '#SBATCH --job-name=lora-llama-8b-run-second-line',
    ]) {
      expect(sbatch).toContain(line);
    }
    expect(sbatch).toContain('--rdzv-endpoint="$MASTER_ADDR:$MASTER_PORT"');
    expect(files['accelerate-config.yaml']).toContain('num_processes: 8');
    expect(files['skypilot.yaml']).toContain('accelerators: H100:4');
    expect(files['skypilot.yaml']).toContain('/base-model: "/models/with space/llama"');
    expect(files['torchrun.sh']).toContain('Llama  8B  run second line'); // no newline breaks out of the comment
  });

  it('writes only what a target needs', async () => {
    expect(Object.keys(await renderLaunchFiles(TEMPLATES, ['slurm'], PARAMS)).sort()).toEqual([
      'common.sh',
      'slurm.sbatch',
    ]);
    expect(Object.keys(await renderLaunchFiles(TEMPLATES, ['skypilot'], PARAMS)).sort()).toEqual([
      'common.sh',
      'skypilot.yaml',
      'torchrun.sh',
    ]);
  });

  it('refuses values that would not be safe or valid in the files', async () => {
    const bad: Array<[Partial<LaunchParams>, RegExp]> = [
      [{ partition: 'gpu; rm -rf ~' }, /not a Slurm partition name/],
      [{ time: '4h' }, /Slurm time/],
      [{ nodes: 0 }, /nodes must be/],
      [{ gpusPerNode: 1.5 }, /GPUs per node/],
      [{ accelerator: 'A100:8' }, /not a GPU name/],
    ];
    for (const [change, message] of bad) {
      await expect(renderLaunchFiles(TEMPLATES, ['slurm'], { ...PARAMS, ...change })).rejects.toThrow(
        message,
      );
    }
  });

  it('makes scheduler-safe names', () => {
    expect(launchSlug('Qwen2.5 7B · chat v3')).toBe('lora-qwen2-5-7b-chat-v3');
    expect(launchSlug('···')).toBe('lora-run');
  });
});

describe('pinned requirements', () => {
  const ranges = '# comment\ntorch>=2.5,<3\ntransformers>=5.0,<6\npeft>=0.18,<1\nsafetensors>=0.4,<1\n';

  it("pins the doctor's versions and keeps the ranges of the rest", () => {
    const text = pinRequirements(ranges, {
      python: '3.12.3',
      torch: '2.11.0+cu130',
      transformers: '5.17.0',
      peft: null,
    });
    expect(text).toMatch(/^torch==2\.11\.0$/m);
    expect(text).toMatch(/^transformers==5\.17\.0$/m);
    expect(text).toMatch(/^peft>=0\.18,<1$/m);
    expect(text).toMatch(/^safetensors>=0\.4,<1$/m);
    expect(text).toContain('torch was 2.11.0+cu130');
    expect(text).toContain('Python 3.12.3');
  });

  it('says so when the doctor reported nothing', () => {
    const text = pinRequirements(ranges, null);
    expect(text).toContain('reported no versions');
    expect(text).not.toContain('==');
  });
});
