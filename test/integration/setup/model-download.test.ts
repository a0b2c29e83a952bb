/**
 * `setup.downloadModel`: a base model from the Hub by id as a task. Progress in bytes and cancel
 * with a fixture trainer speaking the download command's real protocol lines; the offline path with
 * the real trainer on this (offline) machine; a bad id refused before anything runs.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import type { EventPayload, ModelInfo } from '../../../preload/contract';
import { failWithoutPythonUnderCi, testPython } from '../../helpers/real-trainer-harness';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

failWithoutPythonUnderCi('the model download with the real trainer on this machine');

const FIXTURE = resolve(import.meta.dirname, '..', '..', 'fixtures', 'trainers', 'download.mjs');

type Progress = EventPayload<'progress'>;
type Outcome = EventPayload<'task'>;

/** A core whose trainer is `command` (or the built-in one), with HF_HOME inside the temp folder. */
async function openCore(dir: string, env: Readonly<Record<string, string>>): Promise<Core> {
  return createCore({
    dataDir: join(dir, 'data'),
    shell: 'test',
    env: { ...process.env, HF_HOME: join(dir, 'hf'), ...env },
  });
}

/** Starts a download and collects its task's events until it ends. */
async function download(
  core: Core,
  repoId: string,
): Promise<{ taskId: string; progress: Progress[]; end: Promise<Outcome> }> {
  const progress: Progress[] = [];
  let settle: (outcome: Outcome) => void = () => {};
  const end = new Promise<Outcome>((r) => {
    settle = r;
  });
  let taskId: string | null = null;
  const early: Array<{ name: string; payload: unknown }> = [];
  const handle = (name: string, payload: unknown) => {
    if (taskId === null) return void early.push({ name, payload });
    if (name === 'progress' && (payload as Progress).taskId === taskId) progress.push(payload as Progress);
    if (name === 'task' && (payload as Outcome).taskId === taskId) settle(payload as Outcome);
  };
  core.events.subscribe((event) => handle(event.name, event.payload));
  const started = await core.api.invoke('setup.downloadModel', { repoId });
  if (!started.ok) throw new Error(`${started.error.code}: ${started.error.message}`);
  taskId = (started.value as { taskId: string }).taskId;
  for (const e of early.splice(0)) handle(e.name, e.payload);
  return { taskId, progress, end };
}

describe('downloading a base model from the Hub', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let core: Core | null = null;
  beforeEach(() => {
    tmp = makeTempDir('lora-download-');
  });
  afterEach(async () => {
    await core?.close();
    core = null;
    tmp.cleanup();
  });

  it('reports progress in bytes, ends with the snapshot folder, and the model is then found', async () => {
    core = await openCore(tmp.dir, {
      LORA_STUDIO_TRAINER: `"${process.execPath}" "${FIXTURE}"`,
      FIXTURE_DOWNLOAD_CHUNKS: '6',
      FIXTURE_DOWNLOAD_STEP_MS: '300',
    });
    const run = await download(core, 'acme/tiny-chat');
    const outcome = await run.end;
    expect(outcome).toMatchObject({ kind: 'setup.downloadModel', state: 'completed', error: null });
    const snapshot = join(tmp.dir, 'hf', 'hub', 'models--acme--tiny-chat', 'snapshots');
    expect(outcome.resultId?.startsWith(snapshot)).toBe(true);
    expect(existsSync(join(outcome.resultId as string, 'config.json'))).toBe(true);
    // Throttled to ≤ 4 Hz, but several arrive, in bytes, growing, against the total.
    expect(run.progress.length).toBeGreaterThanOrEqual(3);
    expect(run.progress.every((p) => p.total === 300_000_000)).toBe(true);
    const bytes = run.progress.map((p) => p.done);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
    expect(run.progress.at(-1)?.message).toMatch(/^acme\/tiny-chat: 286 MB of 286 MB$/);
    const scanned = await core.api.invoke('models.scan', {});
    expect(scanned.ok && (scanned.value as ModelInfo[]).some((m) => m.path === outcome.resultId)).toBe(true);
  });

  it('cancels: the trainer process is stopped and the task says so', async () => {
    core = await openCore(tmp.dir, {
      LORA_STUDIO_TRAINER: `"${process.execPath}" "${FIXTURE}"`,
      FIXTURE_DOWNLOAD_CHUNKS: '50',
      FIXTURE_DOWNLOAD_STEP_MS: '400',
    });
    const run = await download(core, 'acme/slow-model');
    await waitFor(async () => run.progress.length > 0, { what: 'the first progress event' });
    expect(await core.api.invoke('tasks.cancel', { taskId: run.taskId })).toMatchObject({ ok: true });
    const outcome = await run.end;
    expect(outcome.state).toBe('cancelled');
    expect(existsSync(join(tmp.dir, 'hf', 'hub', 'models--acme--slow-model', 'refs', 'main'))).toBe(false);
  });

  it('turns the trainer’s errors into typed ones, and refuses a malformed id before starting', async () => {
    core = await openCore(tmp.dir, {
      LORA_STUDIO_TRAINER: `"${process.execPath}" "${FIXTURE}"`,
      FIXTURE_DOWNLOAD_FAIL: 'GATED',
    });
    const gated = await (await download(core, 'meta-llama/Llama-3.1-8B-Instruct')).end;
    expect(gated).toMatchObject({
      state: 'failed',
      error: { code: 'FORBIDDEN', details: { reason: 'GATED' } },
    });
    const bad = await core.api.invoke('setup.downloadModel', { repoId: 'not a model id!' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    if (!bad.ok) expect(bad.error.message).toContain('is not a Hugging Face model id');
  });

  describe.skipIf(!testPython)('with the real trainer on this machine', () => {
    it('says plainly that the machine is offline (HF_HUB_OFFLINE, and no route to the Hub)', async () => {
      // No route: this machine cannot reach huggingface.co; HF_HUB_OFFLINE unset so the trainer tries.
      const env = {
        LORA_STUDIO_PYTHON: testPython as string,
        HF_HUB_OFFLINE: '',
        HF_HUB_ETAG_TIMEOUT: '5',
        HF_HUB_DOWNLOAD_TIMEOUT: '5',
      };
      core = await openCore(tmp.dir, env);
      const online = await (await download(core, 'Qwen/Qwen2.5-0.5B-Instruct')).end;
      expect(online).toMatchObject({
        state: 'failed',
        error: { code: 'UNAVAILABLE', details: { reason: 'OFFLINE' } },
      });
      expect(online.error?.message).toMatch(/this machine is offline/);
      expect(online.error?.message).toMatch(/copy the model folder here/);
      await core.close();
      core = await openCore(tmp.dir, { ...env, HF_HUB_OFFLINE: '1' });
      const declared = await (await download(core, 'Qwen/Qwen2.5-0.5B-Instruct')).end;
      expect(declared).toMatchObject({
        state: 'failed',
        error: { code: 'UNAVAILABLE', details: { reason: 'OFFLINE' } },
      });
    }, 120_000);
  });
});
