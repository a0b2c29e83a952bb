import { createHash } from 'node:crypto';
import { appendFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type DatasetVersionFacts, type PreflightDeps, runPreflight } from '../../../main/training/preflight';
import type { TrainerDoctor } from '../../../main/training/trainer-doctor';
import type { GpuStatus, JobRequest, PreflightCheck, PreflightResult } from '../../../preload/contract';
import { writeFakeModel } from '../../fixtures/fake-model';
import { LLAMA_3_8B_CONFIG } from '../../fixtures/model-configs';
import { makeTempDir } from '../../helpers/temp-dir';

const chatRow = (i: number) =>
  JSON.stringify({
    messages: [
      { role: 'user', content: `Question ${i}?` },
      { role: 'assistant', content: `Answer ${i}.` },
    ],
  });

const doctor = (patch: Partial<TrainerDoctor> = {}): TrainerDoctor => ({
  ok: true,
  python: '3.12.3',
  torch: '2.11.0',
  cuda: '13.0',
  transformers: '5.17.0',
  peft: '0.18.0',
  accelerate: '1.15.0',
  bitsandbytes: null,
  flash_attn: null,
  bf16: true,
  gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', memory_total_mb: 81559 }],
  problems: [],
  warnings: ['bitsandbytes is not installed: QLoRA is unavailable'],
  ...patch,
});

const gpuStatus = (totalMb: number, usedMb: number): GpuStatus => ({
  state: 'ok',
  message: null,
  sampledAt: 1,
  processes: [],
  gpus: [
    {
      index: 0,
      name: 'NVIDIA H100 80GB HBM3',
      uuid: 'GPU-0',
      utilizationPct: 0,
      memoryUsedMb: usedMb,
      memoryTotalMb: totalMb,
      temperatureC: 30,
      powerDrawW: 70,
      powerLimitW: 700,
      smClockMhz: 1980,
      memClockMhz: 2619,
      fanPct: null,
    },
  ],
});

let tmp: ReturnType<typeof makeTempDir>;
let dataDir: string;
let modelDir: string;
let version: DatasetVersionFacts;
let deps: PreflightDeps;
let request: JobRequest;

beforeEach(() => {
  tmp = makeTempDir('lora-studio-preflight-');
  dataDir = join(tmp.dir, 'data');
  const rel = join('datasets', 'ds1', 'v1.jsonl');
  mkdirSync(join(dataDir, 'datasets', 'ds1'), { recursive: true });
  const body = `${Array.from({ length: 100 }, (_, i) => chatRow(i)).join('\n')}\n`;
  writeFileSync(join(dataDir, rel), body);
  version = {
    id: 'dv1',
    version: 1,
    filePath: rel,
    sha256: createHash('sha256').update(body).digest('hex'),
    sizeBytes: Buffer.byteLength(body),
    rowCount: 100,
    trainCount: 90,
    valCount: 10,
  };
  modelDir = join(tmp.dir, 'models', 'tiny');
  writeFakeModel(modelDir, { chatTemplate: 'tokenizer_config' });
  deps = {
    dataDir,
    getDatasetVersion: (id) => (id === version.id ? version : undefined),
    gpuStatus: () => gpuStatus(81559, 1000),
    trainerDoctor: async () => ({ doctor: doctor(), problem: null }),
    knownThroughput: () => null,
    diskSpace: async () => ({ freeGb: 500 }),
    platform: 'linux',
  };
  // the tiny model's context is 512 tokens
  request = {
    datasetVersionId: 'dv1',
    modelPath: modelDir,
    preset: 'balanced',
    settings: { max_seq_len: 512 },
  };
});
afterEach(() => tmp.cleanup());

const byId = (result: PreflightResult, id: PreflightCheck['id']) => {
  const found = result.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} check`);
  return found;
};

/** Asserts that exactly the named check fails, with the words given, and that ok is false. */
async function expectOnlyFailure(id: PreflightCheck['id'], words: RegExp, d = deps, r = request) {
  const result = await runPreflight(d, r);
  expect(result.ok).toBe(false);
  expect(byId(result, id)).toMatchObject({ verdict: 'fail', detail: expect.stringMatching(words) });
  const others = result.checks.filter((c) => c.id !== id && c.verdict === 'fail').map((c) => c.id);
  return { result, others };
}

describe('runPreflight on a good request', () => {
  it('passes every check and returns the resolved config and the estimate', async () => {
    const result = await runPreflight(deps, request);
    expect(result.checks.map((c) => [c.id, c.verdict])).toEqual([
      ['dataset', 'pass'],
      ['model', 'pass'],
      ['tokenizer', 'pass'],
      ['config', 'pass'],
      ['python', 'pass'],
      ['gpus', 'pass'],
      ['vram', 'pass'],
      ['disk', 'pass'],
      ['duration', 'pass'],
    ]);
    expect(result.ok).toBe(true);
    expect(result.config).toMatchObject({ base_model: modelDir, lora_r: 16, epochs: 2 });
    expect(result.estimate?.loraParams).toBeGreaterThan(0);
    expect(byId(result, 'dataset').detail).toMatch(/90 training rows, 10 validation rows; sha256 matches/);
    expect(byId(result, 'python').detail).toMatch(/Python 3\.12\.3, torch 2\.11\.0 \(CUDA 13\.0\)/);
    expect(byId(result, 'duration').detail).toMatch(/unknown until the first run/);
    for (const c of result.checks) expect(c.label.length).toBeGreaterThan(0);
  });

  it("estimates the duration from an earlier run's speed", async () => {
    const result = await runPreflight({ ...deps, knownThroughput: () => 1000 }, request);
    expect(byId(result, 'duration').detail).toMatch(/^About .* at 1,000 tokens\/s/);
  });
});

describe('runPreflight, each check failing in turn', () => {
  it('dataset: unknown version', async () => {
    const { others } = await expectOnlyFailure('dataset', /does not exist/, deps, {
      ...request,
      datasetVersionId: 'nope',
    });
    expect(others).toEqual([]);
  });

  it('dataset: the frozen file is missing', async () => {
    rmSync(join(dataDir, version.filePath));
    expect((await expectOnlyFailure('dataset', /is missing/)).others).toEqual([]);
  });

  it('dataset: the file changed after it was frozen (real sha256)', async () => {
    appendFileSync(join(dataDir, version.filePath), `${chatRow(100)}\n`);
    expect(
      (await expectOnlyFailure('dataset', /changed after it was frozen.*freeze a new version/)).others,
    ).toEqual([]);
  });

  it('dataset: no training rows', async () => {
    version = { ...version, trainCount: 0, valCount: 100 };
    expect((await expectOnlyFailure('dataset', /no training rows/)).others).toEqual([]);
  });

  it('dataset: a path that leaves the data folder', async () => {
    version = { ...version, filePath: '../outside.jsonl' };
    expect((await expectOnlyFailure('dataset', /outside the data folder/)).others).toEqual([]);
  });

  it('model: the folder has no config.json', async () => {
    rmSync(join(modelDir, 'config.json'));
    const { result, others } = await expectOnlyFailure('model', /has no config\.json/);
    expect(others).toEqual([]);
    expect(byId(result, 'tokenizer').verdict).toBe('warn');
    expect(byId(result, 'vram')).toMatchObject({ verdict: 'warn', detail: /model folder could not be read/ });
    expect(result.estimate).toBeNull();
  });

  it('tokenizer: no tokenizer files', async () => {
    rmSync(join(modelDir, 'tokenizer.json'));
    expect((await expectOnlyFailure('tokenizer', /No tokenizer/)).others).toEqual([]);
  });

  it('tokenizer: conversations but no chat template (the trainer would stop at row 1)', async () => {
    writeFileSync(join(modelDir, 'tokenizer_config.json'), '{}');
    expect((await expectOnlyFailure('tokenizer', /no chat template/)).others).toEqual([]);
  });

  it('tokenizer: plain-text rows need no chat template', async () => {
    writeFileSync(join(modelDir, 'tokenizer_config.json'), '{}');
    const body = `${JSON.stringify({ text: 'hello' })}\n`;
    writeFileSync(join(dataDir, version.filePath), body);
    version = { ...version, sha256: createHash('sha256').update(body).digest('hex'), sizeBytes: body.length };
    const result = await runPreflight(deps, request);
    expect(byId(result, 'tokenizer')).toMatchObject({ verdict: 'pass', detail: /plain-text/ });
  });

  it('config: invalid settings name the key', async () => {
    const { result, others } = await expectOnlyFailure('config', /lora_r/, deps, {
      ...request,
      settings: { lora_r: 0 },
    });
    expect(result.config).toBeNull();
    expect(others).toEqual([]);
  });

  it('config: a preset never exceeds the model context; a longer max_seq_len is refused with the numbers', async () => {
    const result = await runPreflight(deps, { ...request, settings: {} });
    expect(result.ok).toBe(true);
    expect(result.config?.max_seq_len).toBe(512);
    const { others } = await expectOnlyFailure(
      'config',
      /^max_seq_len 1,024 is longer than the model's context \(512 tokens, max_position_embeddings\): set it to 512 or less\.$/,
      deps,
      { ...request, settings: { max_seq_len: 1024 } },
    );
    expect(others).toEqual([]);
  });

  it('config: the objective must fit the rows (SFT on conversations, DPO on preference pairs)', async () => {
    const { others } = await expectOnlyFailure(
      'config',
      /^This version holds conversations, which the DPO objective cannot train: DPO trains on preference pairs\.$/,
      deps,
      { ...request, settings: { ...request.settings, objective: 'dpo' } },
    );
    expect(others).toEqual([]);
    const pair = JSON.stringify({
      prompt: [{ role: 'user', content: 'q' }],
      chosen: [{ role: 'assistant', content: 'a' }],
      rejected: [{ role: 'assistant', content: 'b' }],
    });
    const body = `${Array.from({ length: 100 }, () => pair).join('\n')}\n`;
    writeFileSync(join(dataDir, version.filePath), body);
    const pairs = { ...version, sha256: createHash('sha256').update(body).digest('hex') };
    const pairDeps = { ...deps, getDatasetVersion: () => pairs };
    await expectOnlyFailure(
      'config',
      /preference pairs .* the SFT objective cannot train: choose the DPO/,
      pairDeps,
    );
    const dpo = await runPreflight(pairDeps, {
      ...request,
      settings: { ...request.settings, objective: 'dpo' },
    });
    expect(byId(dpo, 'config').verdict).not.toBe('fail');
    expect(dpo.config).toMatchObject({
      objective: 'dpo',
      pref_beta: 0.1,
      pref_loss_type: 'sigmoid',
      learning_rate: 5e-5,
    });
  });

  it('config: evaluation is on when the version has validation rows, unless set otherwise', async () => {
    const result = await runPreflight(deps, request);
    expect(result.config).toMatchObject({ eval_steps: result.config?.save_steps });
    const none = await runPreflight(deps, { ...request, settings: { ...request.settings, eval_steps: 25 } });
    expect(none.config?.eval_steps).toBe(25);
    const noVal = await runPreflight(
      { ...deps, getDatasetVersion: () => ({ ...version, trainCount: 100, valCount: 0 }) },
      request,
    );
    expect(noVal.config?.eval_steps).toBeNull();
  });

  it('config: QLoRA without bitsandbytes', async () => {
    const { others } = await expectOnlyFailure(
      'config',
      /^QLoRA needs bitsandbytes, which this Python environment lacks; use LoRA \(bf16\) instead\.$/,
      deps,
      { ...request, settings: { method: 'qlora' } },
    );
    expect(others).toEqual([]);
  });

  it('python: the trainer cannot be run', async () => {
    const d = {
      ...deps,
      trainerDoctor: async () => ({ doctor: null, problem: 'Could not start `python3`: ENOENT' }),
    };
    expect((await expectOnlyFailure('python', /Could not start/, d)).others).toEqual([]);
  });

  it('python: the environment reports problems', async () => {
    const bad = doctor({ ok: false, problems: ['peft is not installed'] });
    const d = { ...deps, trainerDoctor: async () => ({ doctor: bad, problem: null }) };
    expect((await expectOnlyFailure('python', /cannot train: peft is not installed/, d)).others).toEqual([]);
  });

  it('gpus: a GPU that does not exist', async () => {
    const { others } = await expectOnlyFailure('gpus', /GPU 3 does not exist: this machine has GPU 0/, deps, {
      ...request,
      gpuIndices: [3],
    });
    expect(others).toEqual([]);
  });

  it('gpus: no NVIDIA GPU at all trains on the CPU and says so', async () => {
    const none: GpuStatus = { state: 'no-gpu', message: null, gpus: [], sampledAt: 1, processes: [] };
    const d = {
      ...deps,
      gpuStatus: () => none,
      trainerDoctor: async () => ({ doctor: doctor({ gpus: [] }), problem: null }),
    };
    const result = await runPreflight(d, request);
    expect(result.ok).toBe(true);
    expect(result.devices).toMatchObject({ gpuIndices: [], cpu: 'no-gpu' });
    expect(byId(result, 'gpus')).toMatchObject({
      verdict: 'warn',
      detail: 'Training on CPU (no NVIDIA GPU found): only for tiny models and tests.',
    });
    expect(byId(result, 'vram')).toMatchObject({
      verdict: 'pass',
      detail: expect.stringMatching(/Runs on CPU/),
    });
  });

  it('gpus: an explicit CPU run only warns, by `device: cpu` or by no GPU indices', async () => {
    for (const choice of [{ gpuIndices: [] }, { device: 'cpu' as const }]) {
      const result = await runPreflight(deps, { ...request, ...choice });
      expect(result.ok).toBe(true);
      expect(result.devices).toMatchObject({ gpuIndices: [], cpu: 'chosen' });
      expect(byId(result, 'gpus')).toMatchObject({
        verdict: 'warn',
        detail: 'Training on CPU (chosen): only for tiny models and tests.',
      });
    }
  });

  it('gpus: a request naming the CPU and GPUs is refused', async () => {
    const { result, others } = await expectOnlyFailure('gpus', /names the CPU and GPU 0: choose one/, deps, {
      ...request,
      device: 'cpu',
      gpuIndices: [0],
    });
    expect(others).toEqual([]);
    expect(result.devices).toBeNull();
  });

  it('gpus: a failed nvidia-smi never falls back to the CPU unasked', async () => {
    const failed: GpuStatus = {
      state: 'error',
      message: 'nvidia-smi exited with code 255',
      gpus: [],
      sampledAt: null,
      processes: [],
    };
    const d = {
      ...deps,
      gpuStatus: () => failed,
      trainerDoctor: async () => ({ doctor: doctor({ gpus: [] }), problem: null }),
    };
    const { result } = await expectOnlyFailure(
      'gpus',
      /Could not read the GPUs \(nvidia-smi exited with code 255\)/,
      d,
    );
    expect(result.devices).toBeNull();
  });

  it('gpus: torch in the trainer sees no CUDA GPU although nvidia-smi does', async () => {
    const cpuOnly = doctor({ cuda: null, gpus: [], warnings: ['this torch build has no CUDA support'] });
    const d = { ...deps, trainerDoctor: async () => ({ doctor: cpuOnly, problem: null }) };
    expect(
      (await expectOnlyFailure('gpus', /sees no CUDA GPU \(this torch build has no CUDA/, d)).others,
    ).toEqual([]);
  });

  describe('vram: Llama-3-8B balanced (2×2048, r16) needs ≈ 27 GB', () => {
    beforeEach(() => {
      rmSync(modelDir, { recursive: true });
      writeFakeModel(modelDir, { config: { ...LLAMA_3_8B_CONFIG }, shards: 0, chatTemplate: 'jinja' });
      request = { ...request, settings: {} };
    });

    it('fails on a 24 GB card', async () => {
      const d = { ...deps, gpuStatus: () => gpuStatus(24564, 500) };
      const { others } = await expectOnlyFailure(
        'vram',
        /Needs about 2\d\.\d GiB per GPU .* but GPU 0 has/,
        d,
      );
      expect(others).toEqual([]);
    });

    it('warns above 90% of the free memory', async () => {
      const d = { ...deps, gpuStatus: () => gpuStatus(29000, 0) };
      const result = await runPreflight(d, request);
      expect(result.ok).toBe(true);
      expect(byId(result, 'vram')).toMatchObject({ verdict: 'warn', detail: /may run out of memory/ });
    });

    it('passes on an 80 GB card', async () => {
      const result = await runPreflight(deps, request);
      expect(byId(result, 'vram').verdict).toBe('pass');
      expect(result.estimate?.totalGb).toBeGreaterThan(25);
    });
  });

  it('disk: not enough free space for the checkpoints', async () => {
    const d = { ...deps, diskSpace: async () => ({ freeGb: 0.5 }) };
    expect(
      (await expectOnlyFailure('disk', /Needs about 1\.\d\d GB .* has 0\.50 GB free/, d)).others,
    ).toEqual([]);
  });
});
