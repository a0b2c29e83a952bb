/**
 * Try it through the core: `models.generate` runs `<trainer> generate` for the base model and then
 * with the adapter, pushing their text as `generate` events. With a fixture generator always; with
 * the real lora_trainer on the tiny random Llama on CPU when LORA_STUDIO_TEST_PYTHON names the
 * trainer's venv (npm test sets it).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import type { EventPayload, ModelArtifact } from '../../../preload/contract';
import { call, createLibraryCore } from '../../helpers/library-core';
import { failWithoutPythonUnderCi } from '../../helpers/real-trainer-harness';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

type GenEvent = EventPayload<'generate'>;

function collect(core: Core) {
  const events: GenEvent[] = [];
  core.events.subscribe((e) => {
    if (e.name === 'generate') events.push(e.payload);
  });
  return events;
}

const textOf = (events: ReadonlyArray<GenEvent>, sessionId: string, side: 'base' | 'adapter') =>
  events
    .filter((e) => e.sessionId === sessionId && e.side === side && e.type === 'token')
    .map((e) => e.text)
    .join('');

describe('try it with a fixture generator', () => {
  let env: Awaited<ReturnType<typeof createLibraryCore>> | null = null;
  afterEach(async () => {
    await env?.close();
    env = null;
  });

  it('streams the base model, then the adapter, each ending with done', async () => {
    env = await createLibraryCore({ fixture: 'merge.mjs', stepMs: 5 });
    const events = collect(env.core);
    const job = await env.createJob(10, 'try me');
    expect((await env.ended(job.id)).status).toBe('completed');
    const [adapter] = await call<ModelArtifact[]>(env.core, 'models.list', {});
    const { sessionId } = await call<{ sessionId: string }>(env.core, 'models.generate', {
      id: adapter?.id,
      prompt: 'two plus two',
      temperature: 0,
    });
    await waitFor(
      () => events.some((e) => e.sessionId === sessionId && e.side === 'adapter' && e.type === 'done'),
      {
        what: 'both sides to finish',
      },
    );
    expect(textOf(events, sessionId, 'base')).toBe('[base] echo: two plus two');
    expect(textOf(events, sessionId, 'adapter')).toBe('[adapter adapter] echo: two plus two');
    const mine = events.filter((e) => e.sessionId === sessionId);
    // all of the base side before any of the adapter side, tokens one by one
    expect(mine.findIndex((e) => e.side === 'adapter')).toBeGreaterThan(
      mine.findIndex((e) => e.type === 'done'),
    );
    expect(mine.filter((e) => e.side === 'base' && e.type === 'token').length).toBe(5);
    const bad = await env.core.api.invoke('models.generate', { id: adapter?.id, prompt: '' });
    expect(bad).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT', message: expect.stringMatching(/prompt/) },
    });
  }, 60_000);
});

const python = process.env.LORA_STUDIO_TEST_PYTHON;
const ROOT = resolve(import.meta.dirname, '..', '..', '..');

failWithoutPythonUnderCi('try it with the real lora_trainer on the tiny model (CPU)');

describe.skipIf(!python)('try it with the real lora_trainer on the tiny model (CPU)', () => {
  const tmp = makeTempDir();
  let core: Core | null = null;
  afterEach(async () => {
    await core?.close();
    tmp.cleanup();
  });

  it('generates with the base model and with a LoRA adapter through the app', async () => {
    const dataDir = join(tmp.dir, 'data');
    const modelDir = join(tmp.dir, 'tiny-llama');
    const adapterDir = join(dataDir, 'adapters', 'fresh-lora');
    mkdirSync(adapterDir, { recursive: true });
    const built = spawnSync(
      python as string,
      [
        '-c',
        [
          'import sys; sys.path.insert(0, sys.argv[3])',
          'from tiny_model import build_tiny_model; build_tiny_model(sys.argv[1])',
          'from transformers import AutoModelForCausalLM; from peft import LoraConfig, get_peft_model',
          'm = AutoModelForCausalLM.from_pretrained(sys.argv[1], local_files_only=True)',
          'get_peft_model(m, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear")).save_pretrained(sys.argv[2])',
        ].join('\n'),
        modelDir,
        adapterDir,
        join(ROOT, 'resources', 'trainer', 'tests'),
      ],
      { encoding: 'utf8', env: { ...process.env, HF_HUB_OFFLINE: '1' } },
    );
    expect(built.status, built.stderr).toBe(0);
    core = await createCore({
      dataDir,
      shell: 'test',
      env: { ...process.env, LORA_STUDIO_PYTHON: python as string, PATH: `/nonexistent:${process.env.PATH}` },
    });
    const db = new Database(join(dataDir, 'lora-studio.db'));
    db.prepare(
      `INSERT INTO model_artifacts (id, kind, name, path, size_bytes, base_model_path, meta_json, created_at, updated_at)
       VALUES ('art_real', 'adapter', 'fresh lora', 'adapters/fresh-lora', 0, ?, '{}', 1, 1)`,
    ).run(modelDir);
    db.close();
    const events = collect(core);
    const { sessionId } = await call<{ sessionId: string }>(core, 'models.generate', {
      id: 'art_real',
      prompt: 'What is two plus two?',
      maxTokens: 8,
      temperature: 0,
    });
    const done = await waitFor(
      () => {
        const ends = events.filter((e) => e.sessionId === sessionId && e.type !== 'token');
        return ends.length === 2 ? ends : null;
      },
      { timeoutMs: 120_000, what: 'both generations' },
    );
    expect(done.map((e) => [e.side, e.type])).toEqual([
      ['base', 'done'],
      ['adapter', 'done'],
    ]);
    for (const e of done) expect(e.tokens).toBeGreaterThan(0);
    expect(events.some((e) => e.sessionId === sessionId && e.side === 'adapter' && e.type === 'token')).toBe(
      true,
    );
  }, 180_000);
});
