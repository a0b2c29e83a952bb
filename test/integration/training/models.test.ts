import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { estimateForModel } from '../../../main/training/estimate-for-model';
import { hfHubCacheDir, repoName, scanHfCache } from '../../../main/training/hf-cache';
import { modelDimsFromConfig, parameterCountFromDims } from '../../../main/training/model-dims';
import { inspectModel, inspectModelFolder } from '../../../main/training/model-inspector';
import { countSafetensorsParameters } from '../../../main/training/safetensors-header';
import { writeFakeModel, writeHfCacheModel, writeSafetensors } from '../../fixtures/fake-model';
import { LLAMA_3_1_8B_CONFIG, TINY_LLAMA_CONFIG } from '../../fixtures/model-configs';
import { makeTempDir } from '../../helpers/temp-dir';

let tmp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  tmp = makeTempDir('lora-studio-models-');
});
afterEach(() => tmp.cleanup());

const tinyParams = parameterCountFromDims(modelDimsFromConfig(TINY_LLAMA_CONFIG)!);

describe('inspectModel', () => {
  it('reads architecture, dims, dtype, tokenizer, template, safetensors count and config hash', async () => {
    const dir = join(tmp.dir, 'tiny-llama');
    const written = writeFakeModel(dir, { chatTemplate: 'tokenizer_config' });
    const info = await inspectModel(dir);
    expect(info).toEqual({
      path: dir,
      name: 'tiny-llama',
      source: 'folder',
      architecture: 'LlamaForCausalLM',
      modelType: 'llama',
      parameterCount: written,
      dtype: 'float32',
      maxContext: 512,
      vocabSize: 512,
      hiddenSize: 64,
      layers: 2,
      hasTokenizer: true,
      hasChatTemplate: true,
      configHash: createHash('sha256')
        .update(readFileSync(join(dir, 'config.json')))
        .digest('hex'),
    });
    // the safetensors count agrees with the count computed from the dims
    expect(written).toBe(tinyParams);
  });

  it('sums every shard named by model.safetensors.index.json', async () => {
    const dir = join(tmp.dir, 'sharded');
    const written = writeFakeModel(dir, { shards: 3 });
    const model = await inspectModelFolder(dir);
    expect(model.info.parameterCount).toBe(written);
    expect(model.parameterSource).toBe('safetensors');
  });

  it('computes the parameter count from config.json when there are no weights', async () => {
    const dir = join(tmp.dir, 'config-only');
    writeFakeModel(dir, { config: { ...LLAMA_3_1_8B_CONFIG }, shards: 0 });
    const model = await inspectModelFolder(dir);
    expect(model.info.parameterCount).toBe(8_030_261_248);
    expect(model.parameterSource).toBe('config');
    expect(model.info.maxContext).toBe(131072);
    expect(model.info.dtype).toBe('bfloat16');
    expect(model.dims?.kvHeads).toBe(8);
  });

  it('falls back to the dims when a shard is missing (still downloading)', async () => {
    const dir = join(tmp.dir, 'partial');
    writeFakeModel(dir, { shards: 2 });
    writeFileSync(
      join(dir, 'model.safetensors.index.json'),
      JSON.stringify({ weight_map: { a: 'model-00001-of-00002.safetensors', b: 'missing.safetensors' } }),
    );
    expect((await inspectModelFolder(dir)).parameterSource).toBe('config');
  });

  it('finds tokenizer.model and chat_template.jinja, and reports their absence', async () => {
    const a = join(tmp.dir, 'sentencepiece');
    writeFakeModel(a, { tokenizer: 'tokenizer.model', chatTemplate: 'jinja' });
    expect(await inspectModel(a)).toMatchObject({ hasTokenizer: true, hasChatTemplate: true });
    const b = join(tmp.dir, 'bare');
    writeFakeModel(b, { tokenizer: null, chatTemplate: null });
    expect(await inspectModel(b)).toMatchObject({ hasTokenizer: false, hasChatTemplate: false });
  });

  it('refuses a missing path, a file and a folder without config.json, naming what is needed', async () => {
    const file = join(tmp.dir, 'weights.bin');
    writeFileSync(file, 'x');
    mkdirSync(join(tmp.dir, 'empty'));
    for (const [path, words] of [
      [join(tmp.dir, 'nope'), 'does not exist'],
      [file, 'is not a folder'],
      [join(tmp.dir, 'empty'), 'has no config.json'],
    ] as const) {
      await expect(inspectModel(path)).rejects.toMatchObject({
        code: 'BAD_INPUT',
        message: expect.stringContaining(words),
      });
      await expect(inspectModel(path)).rejects.toThrow(/must hold config.json and a tokenizer/);
    }
  });

  it('refuses an unreadable config.json with BAD_INPUT', async () => {
    const dir = join(tmp.dir, 'broken');
    mkdirSync(dir);
    writeFileSync(join(dir, 'config.json'), '{"hidden_size": 64,');
    await expect(inspectModel(dir)).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message: expect.stringMatching(/config\.json is not valid JSON/),
    });
    writeFileSync(join(dir, 'config.json'), '[1, 2]');
    await expect(inspectModel(dir)).rejects.toThrow(/must hold a JSON object/);
  });
});

describe('safetensors headers', () => {
  it('counts shape products without reading the data', async () => {
    const file = join(tmp.dir, 'x.safetensors');
    writeSafetensors(file, { a: [3, 4], b: [5], scalar: [] });
    expect(await countSafetensorsParameters(file)).toBe(12 + 5 + 1);
  });

  it('rejects a file whose header length is implausible', async () => {
    const file = join(tmp.dir, 'bad.safetensors');
    writeFileSync(file, Buffer.from('not a safetensors file at all'));
    await expect(countSafetensorsParameters(file)).rejects.toThrow(/header length/);
  });
});

describe('scanHfCache', () => {
  it('resolves the cache folder like huggingface_hub', () => {
    expect(hfHubCacheDir({ HF_HUB_CACHE: '/a', HF_HOME: '/b' }, '/home/u')).toBe('/a');
    expect(hfHubCacheDir({ HF_HOME: '/b' }, '/home/u')).toBe(join('/b', 'hub'));
    expect(hfHubCacheDir({}, '/home/u')).toBe(join('/home/u', '.cache', 'huggingface', 'hub'));
    expect(repoName('models--meta-llama--Llama-3.1-8B')).toBe('meta-llama/Llama-3.1-8B');
  });

  it('returns [] when there is no cache', async () => {
    expect(await scanHfCache({ HF_HUB_CACHE: join(tmp.dir, 'none') })).toEqual([]);
  });

  it('lists models with config.json at refs/main, skipping datasets and broken entries', async () => {
    const hub = join(tmp.dir, 'hf', 'hub');
    writeHfCacheModel(hub, 'org-b/beta', 'aaaa1111', { chatTemplate: 'tokenizer_config' });
    const current = writeHfCacheModel(hub, 'org-a/alpha', 'cccc3333', { shards: 2 });
    writeHfCacheModel(hub, 'org-a/alpha', 'bbbb2222', { refMain: false, tokenizer: null });
    mkdirSync(join(hub, 'datasets--org--data', 'snapshots', 'r1'), { recursive: true });
    mkdirSync(join(hub, 'models--org--no-config', 'snapshots', 'r1'), { recursive: true });

    const models = await scanHfCache({ HF_HOME: join(tmp.dir, 'hf') });
    expect(models.map((m) => m.name)).toEqual(['org-a/alpha', 'org-b/beta']);
    expect(models[0]).toMatchObject({ path: current, source: 'hf-cache', hasTokenizer: true });
    expect(models[0]?.parameterCount).toBe(tinyParams);
    expect(models[1]).toMatchObject({ hasChatTemplate: true, architecture: 'LlamaForCausalLM' });
  });

  it('picks the newest snapshot with a config.json when refs/main is missing', async () => {
    const hub = join(tmp.dir, 'hub');
    // different config bytes, so the two snapshots do not share the config blob
    const config = (rev: string) => ({ ...TINY_LLAMA_CONFIG, _name_or_path: rev });
    const old = writeHfCacheModel(hub, 'org/model', 'old', { refMain: false, config: config('old') });
    const fresh = writeHfCacheModel(hub, 'org/model', 'new', { refMain: false, config: config('new') });
    utimesSync(join(old, 'config.json'), new Date(2020, 0, 1), new Date(2020, 0, 1));
    const [model] = await scanHfCache({ HF_HUB_CACHE: hub });
    expect(model?.path).toBe(fresh);
  });
});

describe('estimateForModel (training.estimate)', () => {
  it('estimates a model folder with the trainer defaults for unset settings', async () => {
    const dir = join(tmp.dir, 'llama3');
    writeFakeModel(dir, { config: { ...LLAMA_3_1_8B_CONFIG }, shards: 0 });
    const lora = await estimateForModel({ modelPath: dir });
    expect(lora.totalGb).toBeCloseTo(22.9, 1);
    expect(lora.assumptions[0]).toMatch(/computed from config\.json/);
    const qlora = await estimateForModel({ modelPath: dir, qlora: true, gradientCheckpointing: false });
    expect(qlora.totalGb).toBeCloseTo(24.7, 1);
  });

  it('uses the safetensors count when the folder has weights', async () => {
    const dir = join(tmp.dir, 'tiny');
    writeFakeModel(dir);
    expect((await estimateForModel({ modelPath: dir, seqLen: 128 })).assumptions[0]).toMatch(/safetensors/);
  });

  it('refuses a folder whose config.json is not a decoder-only transformer', async () => {
    const dir = join(tmp.dir, 'odd');
    writeFakeModel(dir, { config: { model_type: 'mystery' }, shards: 0 });
    await expect(estimateForModel({ modelPath: dir })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
