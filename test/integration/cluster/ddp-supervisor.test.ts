/**
 * The app's supervisor with a multi-process trainer: the REAL lora_trainer under
 * `python -m torch.distributed.run --standalone --nproc_per_node=2` (2 CPU processes, gloo),
 * plugged in as the trainer command (`LORA_STUDIO_TRAINER`, the same as the `trainer.command`
 * setting: that is how a CPU box asks for N processes; GPU jobs get the launcher from their GPU
 * count). Proves: a run detached by closing the app is re-attached by the next one, cancel then
 * reaches every rank (one checkpoint, nothing left in the process group), and one rank's crash
 * fails the job with that rank's error. Skipped without LORA_STUDIO_TEST_PYTHON.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import { jobProcesses } from '../../../main/training/job-processes';
import {
  buildTinyModel,
  failWithoutPythonUnderCi,
  frozenVersion,
  getJob,
  TRAINER_DIR,
  TRAINER_TESTS,
  testPython,
  waitForEnd,
} from '../../helpers/real-trainer-harness';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

const SETTINGS = {
  max_steps: 400,
  logging_steps: 1,
  save_steps: 1000,
  eval_steps: 1000,
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

failWithoutPythonUnderCi('a 2-process torchrun trainer under the supervisor');

describe.skipIf(!testPython)('a 2-process torchrun trainer under the supervisor', () => {
  const tmp = makeTempDir();
  const modelDir = join(tmp.dir, 'tiny-llama');
  const python = testPython as string;
  const cores: Core[] = [];

  function coreEnv(trainer: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
    return {
      ...process.env,
      LORA_STUDIO_PYTHON: python,
      LORA_STUDIO_TRAINER: trainer,
      PYTHONPATH: TRAINER_DIR,
      OMP_NUM_THREADS: '1',
      PATH: `/nonexistent:${process.env.PATH}`,
      ...extra,
    };
  }
  async function open(dataDir: string, env: NodeJS.ProcessEnv): Promise<Core> {
    const core = await createCore({ dataDir, shell: 'test', training: true, env, cancelGraceMs: 60_000 });
    cores.push(core);
    return core;
  }

  beforeAll(() => buildTinyModel(python, modelDir), 120_000);
  afterAll(async () => {
    for (const core of cores) await core.close();
    tmp.cleanup();
  });

  it('re-attaches after the app restarts, then cancel stops every rank at one checkpoint', async () => {
    const dataDir = join(tmp.dir, 'data-cancel');
    const env = coreEnv(`${python} -m torch.distributed.run --standalone --nproc_per_node=2 -m lora_trainer`);
    const first = await open(dataDir, env);
    const versionId = await frozenVersion(first, tmp.dir, 24, 4);
    const created = await first.api.invoke('jobs.create', {
      name: 'ddp cancel',
      datasetVersionId: versionId,
      modelPath: modelDir,
      gpuIndices: [],
      settings: SETTINGS,
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    if (!created.ok) return;
    const id = (created.value as { id: string }).id;
    const running = await waitFor(
      async () => {
        const job = await getJob(first, id);
        if (['failed', 'completed', 'cancelled'].includes(job.status)) throw new Error(`ended: ${job.error}`);
        return job.status === 'running' && job.step >= 2 ? job : null;
      },
      { timeoutMs: 180_000, intervalMs: 250, what: 'two logged steps' },
    );
    // torchrun's agent and both ranks (which torchrun puts in sessions of their own)
    expect(running.pid).not.toBeNull();
    expect((await jobProcesses(id)).length).toBeGreaterThanOrEqual(3);

    await first.close(); // the app quits; the trainer keeps running
    expect((await jobProcesses(id)).length).toBeGreaterThanOrEqual(3);
    const second = await open(dataDir, env);
    const before = (await getJob(second, id)).step;
    await waitFor(async () => (await getJob(second, id)).step > before + 1, {
      timeoutMs: 60_000,
      intervalMs: 250,
      what: 'the re-attached app to follow new steps',
    });

    const cancelled = await second.api.invoke('jobs.cancel', { id });
    expect(cancelled.ok, JSON.stringify(cancelled)).toBe(true);
    const end = await waitForEnd(second, id, 90_000);
    expect(end.status, end.error ?? '').toBe('cancelled');
    expect(end.step).toBeGreaterThan(before);
    expect(end.step).toBeLessThan(400);
    expect(end.checkpoints.at(-1)?.step).toBe(end.step);
    const ckpt = join(end.runDir, 'checkpoints', `checkpoint-${end.step}`, 'trainer_state.json');
    expect(existsSync(ckpt)).toBe(true);
    await waitFor(async () => (await jobProcesses(id)).length === 0, {
      timeoutMs: 10_000,
      what: 'every rank to be gone',
    });
  }, 360_000);

  it("fails the job with the crashing rank's own error", async () => {
    const dataDir = join(tmp.dir, 'data-crash');
    const driver = join(TRAINER_TESTS, 'ddp_fault_driver.py');
    const env = coreEnv(`${python} -m torch.distributed.run --standalone --nproc_per_node=2 ${driver}`, {
      LORA_TEST_FAIL_RANK: '1',
      LORA_TEST_FAIL_STEP: '2',
    });
    const core = await open(dataDir, env);
    const versionId = await frozenVersion(core, tmp.dir, 24, 4);
    const created = await core.api.invoke('jobs.create', {
      name: 'ddp crash',
      datasetVersionId: versionId,
      modelPath: modelDir,
      gpuIndices: [],
      settings: SETTINGS,
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    if (!created.ok) return;
    const id = (created.value as { id: string }).id;
    const end = await waitForEnd(core, id, 180_000);
    expect(end.status).toBe('failed');
    expect(end.error ?? '').toMatch(/^rank 1: RuntimeError: injected failure on rank 1 at step 2/);
    expect(await jobProcesses(id)).toEqual([]);
  }, 240_000);
});
