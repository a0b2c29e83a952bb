/**
 * A run that travels: a job exported as a bundle (`jobs export`, the real CLI), its torchrun
 * launcher run on this machine (2 CPU processes, the real trainer), and the finished run brought
 * back (`jobs import-run`): a job whose metrics are the events it came from, with its adapter in
 * the library and its lineage to the dataset version. The Slurm script is checked with `bash -n`
 * and submitted to fixture `sbatch`/`srun` (test/fixtures/bin) that check its arguments and run it.
 * Skipped without LORA_STUDIO_TEST_PYTHON (the trainer's venv).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import { databaseFile } from '../../../main/paths';
import type { MetricsResult } from '../../../preload/contract';
import {
  buildTinyModel,
  failWithoutPythonUnderCi,
  frozenVersion,
  testPython,
} from '../../helpers/real-trainer-harness';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

const FIXTURE_BIN = resolve(import.meta.dirname, '..', '..', 'fixtures', 'bin');
const SETTINGS = {
  max_steps: 6,
  logging_steps: 1,
  save_steps: 3,
  eval_steps: 3,
  learning_rate: 0.01,
  lora_r: 8,
  lora_alpha: 16,
  max_seq_len: 128,
  per_device_batch_size: 2,
  grad_accum: 2,
  warmup: 0,
  precision: 'fp32' as const,
  gradient_checkpointing: false,
};

interface Ev {
  type: string;
  step?: number;
  loss?: number;
  eval_loss?: number;
  status?: string;
}
const readEvents = (runDir: string): Ev[] =>
  readFileSync(join(runDir, 'events.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Ev);

failWithoutPythonUnderCi('export → run elsewhere → import-run');

describe.skipIf(!testPython)('export → run elsewhere → import-run', () => {
  const tmp = makeTempDir();
  const python = testPython as string;
  const modelDir = join(tmp.dir, 'tiny-llama');
  const dataDir = join(tmp.dir, 'data');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LORA_STUDIO_PYTHON: python,
    LORA_STUDIO_HOME: dataDir,
    PATH: `/nonexistent:${process.env.PATH}`,
  };
  let core: Core;
  let jobId = '';
  let versionId = '';

  beforeAll(async () => {
    buildTinyModel(python, modelDir);
    core = await createCore({ dataDir, shell: 'test', training: false, env });
    versionId = await frozenVersion(core, tmp.dir, 24, 4);
    // Queued (training: false never launches it): "a job, queued or finished" can be exported.
    const created = await core.api.invoke('jobs.create', {
      name: 'travelling run',
      datasetVersionId: versionId,
      modelPath: modelDir,
      gpuIndices: [],
      settings: SETTINGS,
    });
    if (!created.ok) throw new Error(JSON.stringify(created));
    jobId = (created.value as { id: string }).id;
  }, 180_000);
  afterAll(async () => {
    await core?.close();
    tmp.cleanup();
  });

  it('exports a self-contained bundle, runs its torchrun launcher on 2 CPU processes, imports the run back', async () => {
    const bundle = join(tmp.dir, 'bundle');
    const exported = await runCli(
      ['jobs', 'export', jobId, '--to', bundle, '--gpus-per-node', '2', '--json'],
      env,
    );
    expect(exported.code, exported.stderr).toBe(0);
    const result = JSON.parse(exported.stdout) as { dir: string; targets: string[]; files: string[] };
    expect(result.targets).toEqual(['torchrun', 'accelerate', 'slurm', 'skypilot']);
    for (const f of [
      'README.md',
      'manifest.json',
      'requirements.txt',
      `dataset/${versionId}.jsonl`,
      'run/config.json',
      'run/train.jsonl',
      'run/val.jsonl',
      'trainer/lora_trainer/train.py',
      'launch/common.sh',
      'launch/torchrun.sh',
      'launch/accelerate.sh',
      'launch/accelerate-config.yaml',
      'launch/slurm.sbatch',
      'launch/skypilot.yaml',
    ]) {
      expect(result.files).toContain(f);
    }
    expect(result.files.some((f) => f.includes('__pycache__'))).toBe(false);
    const manifest = JSON.parse(readFileSync(join(bundle, 'manifest.json'), 'utf8'));
    expect(manifest).toMatchObject({ jobId, datasetVersionId: versionId, trainRows: 20, valRows: 4 });
    const sha = spawnSync('sha256sum', [join(bundle, manifest.datasetFile)], { encoding: 'utf8' });
    expect(sha.stdout.split(' ')[0]).toBe(manifest.datasetSha256);
    const config = JSON.parse(readFileSync(join(bundle, 'run', 'config.json'), 'utf8'));
    expect(config).toMatchObject({ ...SETTINGS, base_model: modelDir, resume_from_checkpoint: null });
    const requirements = readFileSync(join(bundle, 'requirements.txt'), 'utf8');
    const torch = spawnSync(python, ['-c', 'import torch; print(torch.__version__.split("+")[0])'], {
      encoding: 'utf8',
    });
    expect(requirements).toContain(`torch==${torch.stdout.trim()}`); // pinned from the doctor
    expect(requirements).toMatch(/^safetensors>=/m); // not reported by the doctor: the range
    for (const script of ['common.sh', 'torchrun.sh', 'accelerate.sh', 'slurm.sbatch']) {
      const check = spawnSync('bash', ['-n', join(bundle, 'launch', script)], { encoding: 'utf8' });
      expect(check.status, `${script}: ${check.stderr}`).toBe(0);
    }
    const sky = spawnSync(
      python,
      [
        '-c',
        'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))',
        join(bundle, 'launch', 'skypilot.yaml'),
      ],
      { encoding: 'utf8' },
    );
    expect(sky.status, sky.stderr).toBe(0);
    expect(JSON.parse(sky.stdout)).toMatchObject({
      num_nodes: 1,
      resources: { accelerators: 'A100:2' },
      file_mounts: { '/base-model': modelDir },
    });

    // "Elsewhere": the bundle's own launcher, from a different working directory, 2 processes.
    const ran = spawnSync('bash', [join(bundle, 'launch', 'torchrun.sh')], {
      cwd: tmp.dir,
      encoding: 'utf8',
      env: { ...process.env, PYTHON: python, NPROC_PER_NODE: '2', OMP_NUM_THREADS: '1', PYTHONPATH: '' },
      timeout: 240_000,
    });
    expect(ran.status, ran.stderr.slice(-3000)).toBe(0);
    const events = readEvents(join(bundle, 'run'));
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed', step: 6 });
    expect(events.find((e) => e.type === 'started')).toMatchObject({ world_size: 2, effective_batch: 4 });
    expect(existsSync(join(bundle, 'run', 'adapter', 'adapter_model.safetensors'))).toBe(true);

    const imported = await runCli(['jobs', 'import-run', bundle, '--json'], env);
    expect(imported.code, imported.stderr).toBe(0);
    const job = JSON.parse(imported.stdout) as { id: string; status: string; step: number; gpuHours: number };
    expect(job).toMatchObject({ status: 'completed', step: 6, datasetVersionId: versionId, gpuHours: 0 });

    // The imported job's metrics are exactly the events it came from.
    const metrics = await core.api.invoke('jobs.metrics', { id: job.id, names: ['loss', 'eval_loss'] });
    expect(metrics.ok).toBe(true);
    if (!metrics.ok) return;
    const series = (name: string) => {
      const found = (metrics.value as MetricsResult).series.find((x) => x.metric === name);
      return (found?.step ?? []).map((step, i) => ({ step, value: found?.value[i] ?? null }));
    };
    const logs = events.filter((e) => e.type === 'log');
    expect(series('loss')).toEqual(logs.map((e) => ({ step: e.step, value: e.loss })));
    const evals = events.filter((e) => e.type === 'eval');
    expect(series('eval_loss')).toEqual(evals.map((e) => ({ step: e.step, value: e.eval_loss })));
    const detail = await core.api.invoke('jobs.get', { id: job.id });
    expect(detail.ok && detail.value).toMatchObject({ status: 'completed', maxSteps: 6 });
    const models = await core.api.invoke('models.list', {});
    const artifact = models.ok
      ? (models.value as { jobId: string; path: string }[]).find((a) => a.jobId === job.id)
      : undefined;
    expect(artifact && existsSync(join(artifact.path, 'adapter_model.safetensors'))).toBe(true);
    expect(artifact?.path.startsWith(dataDir)).toBe(true); // copied into the library, not linked
    const db = new Database(databaseFile(dataDir), { readonly: true });
    try {
      const cost = db
        .prepare('SELECT gpu_hours, started_at, ended_at FROM cost_records WHERE job_id = ?')
        .get(job.id);
      expect(cost).toMatchObject({ gpu_hours: 0 });
    } finally {
      db.close();
    }
  }, 400_000);

  it('refuses what it cannot import or export, leaving nothing behind', async () => {
    const notRun = await runCli(['jobs', 'import-run', modelDir], env);
    expect(notRun.code).not.toBe(0);
    expect(notRun.stderr).toMatch(/has no events\.jsonl/);
    const badPartition = await runCli(
      ['jobs', 'export', jobId, '--to', join(tmp.dir, 'nope'), '--partition', 'gpu; rm -rf /'],
      env,
    );
    expect(badPartition.code).not.toBe(0);
    expect(badPartition.stderr).toMatch(/is not a Slurm partition name/);
    expect(existsSync(join(tmp.dir, 'nope'))).toBe(false);
    expect(readdirSync(tmp.dir).some((n) => n.includes('.partial'))).toBe(false);
    const unknownTarget = await runCli(
      ['jobs', 'export', jobId, '--to', join(tmp.dir, 'x'), '--target', 'k8s'],
      env,
    );
    expect(unknownTarget.code).toBe(2);
  }, 120_000);

  it('the Slurm script passes fixture sbatch/srun that check its arguments, and trains', async () => {
    const bundle = join(tmp.dir, 'bundle-slurm');
    const exported = await runCli(
      [
        'jobs',
        'export',
        jobId,
        '--to',
        bundle,
        '--target',
        'slurm',
        '--gpus-per-node',
        '2',
        '--time',
        '00:30:00',
      ],
      env,
    );
    expect(exported.code, exported.stderr).toBe(0);
    expect(readdirSync(join(bundle, 'launch')).sort()).toEqual(['common.sh', 'slurm.sbatch']);
    const log = join(tmp.dir, 'slurm.log');
    const submitted = spawnSync('sbatch', ['--partition=debug', 'launch/slurm.sbatch'], {
      cwd: bundle,
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${FIXTURE_BIN}:${process.env.PATH}`,
        PYTHON: python,
        OMP_NUM_THREADS: '1',
        PYTHONPATH: '',
        FIXTURE_SLURM_LOG: log,
      },
      timeout: 240_000,
    });
    expect(submitted.status, submitted.stderr.slice(-3000)).toBe(0);
    expect(submitted.stdout).toMatch(/^Submitted batch job \d+/);
    const seen = readFileSync(log, 'utf8');
    expect(seen).toContain('sbatch partition=debug'); // the command line wins over #SBATCH
    expect(seen).toContain('sbatch gpus-per-node=2');
    expect(seen).toContain('sbatch time=00:30:00');
    expect(seen).toMatch(/srun bash -c .*torch\.distributed\.run/);
    const events = readEvents(join(bundle, 'run'));
    expect(events.find((e) => e.type === 'started')).toMatchObject({ world_size: 2 });
    expect(events.at(-1)).toMatchObject({ type: 'done', status: 'completed', step: 6 });
  }, 300_000);
});
