/**
 * Issue 11, defect 1: a job's devices are decided at preflight from a fresh nvidia-smi query — not
 * from the live monitor, which has no sample right after start — recorded on the job, shown, and
 * handed to the trainer as CUDA_VISIBLE_DEVICES. Runs createCore with the fake nvidia-smi (two
 * H100s, GPU 0 busy at ~95%, GPU 1 idle) and a fixture trainer that writes down what it was given.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../db/open';
import { type Core, createCore } from '../../../main/core';
import { databaseFile, defaultMigrationsDir } from '../../../main/paths';
import type { DoctorReport, JobDetail, JobRequest, PreflightResult } from '../../../preload/contract';
import { writeFakeModel } from '../../fixtures/fake-model';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';
import { seedDatasetVersion, TRAINERS_DIR } from '../../helpers/training-harness';
import { envWithFakeSmi } from '../telemetry/telemetry-env';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `doctor` answers like a CUDA torch seeing `gpus` GPUs; `train` notes CUDA_VISIBLE_DEVICES, then runs ok.mjs. */
function writeTrainer(dir: string, gpus: number): string {
  const doctor = JSON.stringify({
    ok: true,
    python: '3.12.0',
    torch: '2.5.0',
    cuda: gpus > 0 ? '12.4' : null,
    transformers: '4.46.0',
    peft: '0.13.0',
    bf16: gpus > 0,
    gpus: Array.from({ length: gpus }, (_, index) => ({
      index,
      name: 'NVIDIA H100 80GB HBM3',
      memory_total_mb: 81559,
    })),
    problems: [],
    warnings: [],
  });
  const script = join(dir, 'trainer.mjs');
  const body = `
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
if (process.argv[2] === 'doctor') {
  process.stdout.write(${JSON.stringify(doctor)} + '\\n');
  process.exit(0);
}
writeFileSync('cuda-visible-devices.txt', String(process.env.CUDA_VISIBLE_DEVICES));
await import(pathToFileURL(${JSON.stringify(join(TRAINERS_DIR, 'ok.mjs'))}).href);
`;
  writeFileSync(script, body);
  return script;
}

/** A data folder with a frozen dataset version and a tiny model; a core on it with the fake nvidia-smi. */
async function coreWith(smiMode: string, gpus: number): Promise<{ core: Core; request: JobRequest }> {
  const tmp = makeTempDir('lora-devices-');
  cleanups.push(() => tmp.cleanup());
  const dataDir = join(tmp.dir, 'data');
  const seeded = await openDatabase({ file: databaseFile(dataDir), migrationsDir: defaultMigrationsDir() });
  const versionId = seedDatasetVersion(seeded.db, dataDir);
  seeded.close();
  const modelPath = join(tmp.dir, 'tiny-llama');
  writeFakeModel(modelPath, { chatTemplate: 'tokenizer_config' });
  const trainer = writeTrainer(tmp.dir, gpus);
  const core = await createCore({
    dataDir,
    shell: 'test',
    training: true,
    telemetry: true, // the live monitor runs, as in the app, but has no sample yet
    env: envWithFakeSmi(smiMode),
  });
  cleanups.push(() => core.close());
  const set = await core.api.invoke('settings.update', {
    'trainer.command': `"${process.execPath}" "${trainer}"`,
  });
  expect(set.ok, JSON.stringify(set)).toBe(true);
  return {
    core,
    request: { datasetVersionId: versionId, modelPath, preset: 'fast', settings: { max_steps: 3 } },
  };
}

async function createAndFinish(core: Core, request: JobRequest): Promise<JobDetail> {
  const created = await core.api.invoke('jobs.create', request);
  expect(created.ok, JSON.stringify(created)).toBe(true);
  const id = (created as { value: { id: string } }).value.id;
  return waitFor(
    async () => {
      const r = await core.api.invoke('jobs.get', { id });
      const job = r.ok ? (r.value as JobDetail) : null;
      return job && ['completed', 'failed', 'cancelled', 'interrupted'].includes(job.status) ? job : null;
    },
    { timeoutMs: 20_000, what: `job ${id} to finish` },
  );
}

function queuedNote(job: JobDetail): string | null {
  return job.timeline.find((t) => t.status === 'queued')?.note ?? null;
}

describe('the devices of a job', () => {
  it('gives a job created with no GPU choice right after core start the idle GPU, and tells the trainer', async () => {
    const { core, request } = await coreWith('ok', 2);
    const job = await createAndFinish(core, request);
    expect(job.status, job.error ?? '').toBe('completed');
    expect(job.gpuIndices).toEqual([1]);
    expect(job.devices).toMatchObject({ gpuIndices: [1], chosenBy: 'auto', cpu: null });
    expect(queuedNote(job)).toMatch(
      /^training on GPU 1 \(NVIDIA H100 80GB HBM3\): idle, 0% in use, \d+\.\d GB free$/,
    );
    expect(readFileSync(join(job.runDir, 'cuda-visible-devices.txt'), 'utf8')).toBe('1');
  });

  it('trains on the CPU when there is no NVIDIA GPU, and says so', async () => {
    const { core, request } = await coreWith('no-devices', 0);
    const preflight = await core.api.invoke('jobs.preflight', request);
    expect(preflight.ok).toBe(true);
    const checks = (preflight as { value: PreflightResult }).value.checks;
    expect(checks.find((c) => c.id === 'gpus')?.detail).toBe(
      'Training on CPU (no NVIDIA GPU found): only for tiny models and tests.',
    );
    const job = await createAndFinish(core, request);
    expect(job.status, job.error ?? '').toBe('completed');
    expect(job.gpuIndices).toEqual([]);
    expect(job.devices).toMatchObject({ cpu: 'no-gpu' });
    expect(queuedNote(job)).toBe('training on CPU (no NVIDIA GPU found)');
    expect(readFileSync(join(job.runDir, 'cuda-visible-devices.txt'), 'utf8')).toBe('');
    // doctor agrees with what happened: no "training is unavailable" while CPU runs go ahead.
    const doctor = await core.api.invoke('doctor.run', {});
    const problems = (doctor as { value: DoctorReport }).value.problems.join(' ');
    expect(problems).toContain('No NVIDIA GPU found: jobs train on the CPU');
    expect(problems).not.toMatch(/unavailable|needs one/);
  });

  it('trains on the CPU when the CPU is chosen (`--gpus cpu`), though GPUs are free', async () => {
    const { core, request } = await coreWith('ok', 2);
    const job = await createAndFinish(core, { ...request, device: 'cpu' });
    expect(job.status, job.error ?? '').toBe('completed');
    expect(job.gpuIndices).toEqual([]);
    expect(job.devices).toMatchObject({ chosenBy: 'user', cpu: 'chosen' });
    expect(queuedNote(job)).toBe('training on CPU (chosen)');
    expect(readFileSync(join(job.runDir, 'cuda-visible-devices.txt'), 'utf8')).toBe('');
  });
});
