import { describe, expect, it } from 'vitest';
import type { JobDetail, JobSummary } from '../../../preload/contract';
import { JobSettingsSchema } from '../../../preload/contract';
import { jobDurationSeconds } from '../../../renderer/src/pages/training/job-timing';
import {
  draftFromJob,
  emptyDraft,
  errorsFromApiError,
  requestFromDraft,
} from '../../../renderer/src/pages/training/new-job/job-draft';
import { SETTING_FIELDS } from '../../../renderer/src/pages/training/new-job/job-settings-fields';
import { applyJobProgress } from '../../../renderer/src/state/training-store';

const base = { ...emptyDraft(), datasetVersionId: 'dsv_1', modelPath: '/models/tiny' };

describe('the new-job form draft', () => {
  it('has a field for every JobSettings key, and no other', () => {
    expect(SETTING_FIELDS.map((field) => field.key).sort()).toEqual(
      Object.keys(JobSettingsSchema.shape).sort(),
    );
  });

  it('sends only the fields a person changed, parsed to the contract’s types', () => {
    const { request, errors } = requestFromDraft({
      ...base,
      name: '  run 1 ',
      overrides: {
        lora_r: '8',
        learning_rate: '2e-4',
        lora_target_modules: 'q_proj, v_proj',
        max_steps: 'none',
        packing: true,
        lr_scheduler: 'linear',
      },
    });
    expect(errors).toEqual({});
    expect(request).toEqual({
      name: 'run 1',
      datasetVersionId: 'dsv_1',
      modelPath: '/models/tiny',
      preset: 'balanced',
      settings: {
        lora_r: 8,
        learning_rate: 0.0002,
        lora_target_modules: ['q_proj', 'v_proj'],
        max_steps: null,
        packing: true,
        lr_scheduler: 'linear',
      },
    });
  });

  it('words range, type and number errors per field, and sends nothing', () => {
    const { request, errors, settings } = requestFromDraft({
      ...base,
      overrides: { lora_r: '0', per_device_batch_size: '2.5', learning_rate: 'fast', warmup: '1', seed: '7' },
    });
    expect(request).toBeNull();
    expect(errors).toEqual({
      lora_r: 'Must be at least 1.',
      per_device_batch_size: 'Must be a whole number.',
      learning_rate: '"fast" is not a number.',
      warmup: 'Must be at most 0.99.',
    });
    expect(settings).toEqual({ seed: 7 });
  });

  it('needs a dataset version and a model folder', () => {
    const { errors } = requestFromDraft(emptyDraft());
    expect(Object.keys(errors).sort()).toEqual(['datasetVersionId', 'modelPath']);
  });

  it('omits the GPUs when none is chosen, and sends [] for a CPU run', () => {
    expect(requestFromDraft(base).request?.gpuIndices).toBeUndefined();
    expect(requestFromDraft({ ...base, gpuIndices: [1, 0] }).request?.gpuIndices).toEqual([0, 1]);
    expect(requestFromDraft({ ...base, gpuIndices: [1], cpu: true }).request?.gpuIndices).toEqual([]);
  });

  it('clones a job from its recorded request: same preset, same changed settings, same GPUs', () => {
    const job = {
      id: 'job_1',
      name: 'original',
      datasetVersionId: 'dsv_1',
      baseModelPath: '/models/tiny',
      gpuIndices: [0, 1],
      config: {},
      reproducibility: {
        request: {
          datasetVersionId: 'dsv_1',
          modelPath: '/models/tiny',
          preset: 'quality',
          settings: { lora_r: 64, eval_steps: null },
          gpuIndices: [0, 1],
        },
      },
    } as unknown as JobDetail;
    const draft = draftFromJob(job);
    expect(draft).toMatchObject({ preset: 'quality', gpuIndices: [0, 1], cpu: false });
    expect(draft.overrides).toEqual({ lora_r: '64', eval_steps: 'none' });
    expect(requestFromDraft(draft).request).toEqual({
      name: 'original (copy)',
      datasetVersionId: 'dsv_1',
      modelPath: '/models/tiny',
      preset: 'quality',
      settings: { lora_r: 64, eval_steps: null },
      gpuIndices: [0, 1],
    });
  });

  it("clones a job queued with `device: cpu` (the CLI's --gpus cpu) as a CPU job, and an unticked one as unticked", () => {
    const cloned = (request: Record<string, unknown>) =>
      draftFromJob({
        id: 'job_1',
        name: 'original',
        datasetVersionId: 'dsv_1',
        baseModelPath: '/models/tiny',
        gpuIndices: [1],
        config: {},
        reproducibility: { request: { datasetVersionId: 'dsv_1', modelPath: '/models/tiny', ...request } },
      } as unknown as JobDetail);
    expect(cloned({ device: 'cpu' })).toMatchObject({ gpuIndices: [], cpu: true });
    // The GPU chosen for it was the idle one then; a clone lets preflight choose again.
    expect(cloned({})).toMatchObject({ gpuIndices: [], cpu: false });
  });

  it('clones a job without a recorded request from every setting of its config', () => {
    const config = {
      base_model: '/models/tiny',
      method: 'qlora',
      lora_r: 4,
      lora_alpha: 8,
      lora_dropout: 0.05,
      lora_target_modules: ['q_proj', 'v_proj'],
      max_seq_len: 512,
      per_device_batch_size: 2,
      grad_accum: 4,
      learning_rate: 1e-4,
      lr_scheduler: 'cosine',
      warmup: 0.03,
      weight_decay: 0,
      max_grad_norm: 1,
      epochs: 1,
      max_steps: 12,
      eval_steps: null,
      save_steps: 10,
      save_total_limit: null,
      logging_steps: 1,
      seed: 42,
      gradient_checkpointing: true,
      completion_only: false,
      packing: false,
      precision: 'auto',
      attn_implementation: 'sdpa',
      resume_from_checkpoint: null,
    } as const;
    const job = {
      id: 'job_1',
      name: 'original',
      datasetVersionId: 'dsv_1',
      baseModelPath: '/models/tiny',
      gpuIndices: [],
      config,
      reproducibility: {},
    } as unknown as JobDetail;
    const draft = draftFromJob(job);
    expect(draft.name).toBe('original (copy)');
    expect(draft.cpu).toBe(true);
    const { request, errors } = requestFromDraft(draft);
    expect(errors).toEqual({});
    const { base_model: _model, resume_from_checkpoint: _resume, ...settings } = config;
    expect(request?.settings).toEqual(settings);
    expect(request?.gpuIndices).toEqual([]);
  });

  it('places the core’s BAD_INPUT issues on the fields they name', () => {
    const placed = errorsFromApiError({
      code: 'BAD_INPUT',
      message: 'Invalid input for jobs.create',
      details: {
        issues: [
          { path: ['settings', 'lora_r'], message: 'Too big' },
          { path: ['datasetVersionId'], message: 'Required' },
          { path: ['unknown'], message: 'ignored' },
        ],
      },
    });
    expect(placed.fields).toEqual({ lora_r: 'Too big', datasetVersionId: 'Required' });
    expect(placed.form).toBe('Invalid input for jobs.create');
  });
});

describe('live job progress in the list', () => {
  const job: JobSummary = {
    id: 'job_1',
    name: 'run',
    status: 'starting',
    datasetVersionId: 'dsv_1',
    baseModelPath: '/m',
    gpuIndices: [0],
    step: 0,
    maxSteps: null,
    progress: 0,
    etaSeconds: null,
    lastLoss: 1.5,
    error: null,
    createdAt: 1,
    queuedAt: 1,
    startedAt: 2,
    finishedAt: null,
    attempt: 1,
    earlierAttemptsSeconds: 0,
  };

  it('adds up the attempts of a resumed job: earlier attempts plus the current one', () => {
    const resumed = {
      ...job,
      status: 'running' as const,
      attempt: 2,
      earlierAttemptsSeconds: 120,
      startedAt: 10_000,
    };
    expect(jobDurationSeconds(resumed, 105_000)).toBe(215);
    expect(jobDurationSeconds({ ...resumed, status: 'queued', startedAt: null }, 105_000)).toBe(120);
    expect(jobDurationSeconds({ ...job, startedAt: null, earlierAttemptsSeconds: 0 }, 5)).toBeNull();
  });

  it('applies a job.progress event to its job and keeps the last loss when the event has none', () => {
    const next = applyJobProgress([job], {
      id: 'job_1',
      status: 'running',
      step: 10,
      maxSteps: 100,
      progress: 0.1,
      etaSeconds: 90,
      loss: null,
    });
    expect(next[0]).toMatchObject({
      status: 'running',
      step: 10,
      maxSteps: 100,
      progress: 0.1,
      lastLoss: 1.5,
    });
  });

  it('returns the same list for a job it does not know (so the caller refetches)', () => {
    const jobs = [job];
    const event = {
      id: 'job_2',
      status: 'running',
      step: 1,
      maxSteps: 1,
      progress: 1,
      etaSeconds: 0,
      loss: 1,
    } as const;
    expect(applyJobProgress(jobs, event)).toBe(jobs);
  });
});
