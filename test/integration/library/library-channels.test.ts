/**
 * The model library through the api: a job's checkpoints, promoting one, copying an artifact out,
 * the Ollama Modelfile export, and delete (files only with the confirmation).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotificationsRepository } from '../../../db/repositories/notifications-repository';
import type { Checkpoint, ModelArtifact, Notification, OllamaExport } from '../../../preload/contract';
import { call, createLibraryCore } from '../../helpers/library-core';
import { waitFor } from '../../helpers/temp-dir';
import { createTestDb } from '../../helpers/test-db';

type Env = Awaited<ReturnType<typeof createLibraryCore>>;

describe('the model library', () => {
  let env: Env;
  let jobId: string;
  beforeAll(async () => {
    env = await createLibraryCore({ stepMs: 5 });
    const job = await env.createJob(30, 'library run');
    expect((await env.ended(job.id)).status).toBe('completed');
    jobId = job.id;
  }, 60_000);
  afterAll(async () => {
    await env?.close();
  });

  it("lists a job's checkpoints and promotes one to an adapter, once", async () => {
    const checkpoints = await call<Checkpoint[]>(env.core, 'models.checkpoints', { jobId });
    expect(checkpoints.map((c) => c.step)).toEqual([10, 20, 30]);
    expect(checkpoints.every((c) => c.present && c.artifactId === null)).toBe(true);
    const promoted = await call<ModelArtifact>(env.core, 'models.promote', { jobId, step: 20 });
    expect(promoted).toMatchObject({
      kind: 'adapter',
      checkpointStep: 20,
      step: 20,
      name: 'library run @ step 20',
    });
    const weights = readFileSync(join(promoted.path, 'adapter_model.safetensors'));
    expect(promoted.sha256).toBe(createHash('sha256').update(weights).digest('hex'));
    const again = await call<ModelArtifact>(env.core, 'models.promote', { jobId, step: 20 });
    expect(again.id).toBe(promoted.id);
    expect((await call<Checkpoint[]>(env.core, 'models.checkpoints', { jobId }))[1]?.artifactId).toBe(
      promoted.id,
    );
    expect(await call<ModelArtifact[]>(env.core, 'models.list', {})).toHaveLength(2);
    const missing = await env.core.api.invoke('models.promote', { jobId, step: 15 });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/step 15/) },
    });
  });

  it('copies an adapter into a new folder, and refuses a folder that is not empty', async () => {
    const [adapter] = (await call<ModelArtifact[]>(env.core, 'models.list', {})).filter(
      (a) => a.checkpointStep === null,
    );
    const to = join(env.dataDir, '..', 'copied');
    const copied = await call<{ path: string; bytes: number; files: number }>(env.core, 'models.copy', {
      id: adapter?.id,
      to,
    });
    expect(copied).toMatchObject({ path: to, bytes: adapter?.sizeBytes });
    expect(readdirSync(to).sort()).toEqual(readdirSync(adapter?.path as string).sort());
    const busy = join(env.dataDir, '..', 'busy');
    mkdirSync(busy);
    writeFileSync(join(busy, 'keep.txt'), 'mine');
    const refused = await env.core.api.invoke('models.copy', { id: adapter?.id, to: busy });
    expect(refused).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(readdirSync(busy)).toEqual(['keep.txt']);
    const relative = await env.core.api.invoke('models.copy', { id: adapter?.id, to: 'somewhere' });
    expect(relative).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  });

  it('writes an Ollama Modelfile with FROM and ADAPTER and the exact ollama create command', async () => {
    const [adapter] = (await call<ModelArtifact[]>(env.core, 'models.list', {})).filter(
      (a) => a.checkpointStep === null,
    );
    const out = await call<OllamaExport>(env.core, 'models.exportOllama', {
      id: adapter?.id,
      name: 'library-run',
    });
    expect(readFileSync(out.modelfilePath, 'utf8')).toBe(out.modelfile);
    expect(out.modelfile).toContain(`FROM ${env.modelDir}\n`);
    expect(out.modelfile).toContain(`ADAPTER ${adapter?.path}\n`);
    expect(out.command).toBe(`ollama create library-run -f ${JSON.stringify(out.modelfilePath)}`);
    const exported = await call<Notification[]>(env.core, 'notifications.list', {
      kinds: ['model.exported'],
    });
    expect(exported).toHaveLength(1);
  });

  it('deletes from the library keeping the files, or with the confirmation removes them too', async () => {
    const list = await call<ModelArtifact[]>(env.core, 'models.list', {});
    const promoted = list.find((a) => a.checkpointStep === 20) as ModelArtifact;
    const kept = await call(env.core, 'models.delete', { id: promoted.id });
    expect(kept).toEqual({ deleted: true, filesRemoved: false });
    expect(existsSync(promoted.path)).toBe(true);
    const adapter = list.find((a) => a.checkpointStep === null) as ModelArtifact;
    expect(await call(env.core, 'models.delete', { id: adapter.id, deleteFiles: true })).toEqual({
      deleted: true,
      filesRemoved: true,
    });
    expect(existsSync(adapter.path)).toBe(false);
    expect(await call(env.core, 'models.list', {})).toEqual([]);
    expect(await env.core.api.invoke('models.get', { id: adapter.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('the cost estimate', () => {
  it("is the estimated duration at the chosen GPUs' power limit", async () => {
    const env = await createLibraryCore();
    try {
      await call(env.core, 'settings.update', { 'energy.pricePerKwh': 0.5 });
      const one = await call<{ energyWh: number; cost: number; powerW: number }>(env.core, 'costs.estimate', {
        durationS: 3600,
        gpuIndices: [0],
      });
      // The fixture nvidia-smi reports a 700 W limit per GPU.
      expect(one).toMatchObject({ powerW: 700, energyWh: 700, cost: 0.35, currency: 'EUR' });
      const cpu = await call<{ energyWh: number; basis: string }>(env.core, 'costs.estimate', {
        durationS: 3600,
      });
      expect(cpu.energyWh).toBe(0);
      expect(cpu.basis).toMatch(/CPU/);
    } finally {
      await env.close();
    }
  }, 30_000);
});

describe('notification rows', () => {
  it('store one row per event key, however often it is raised', async () => {
    const db = await createTestDb();
    try {
      const repo = new NotificationsRepository(db.db);
      const first = repo.createOnce({ kind: 'job.completed', title: 'a', eventKey: 'job:x:completed:1' });
      const second = repo.createOnce({ kind: 'job.completed', title: 'a', eventKey: 'job:x:completed:1' });
      expect(first).not.toBeNull();
      expect(second).toBeNull();
      repo.createOnce({ kind: 'info', title: 'no key' });
      repo.createOnce({ kind: 'info', title: 'no key' });
      expect(repo.list()).toHaveLength(3);
      expect(repo.list({ kinds: ['info'] })).toHaveLength(2);
    } finally {
      db.cleanup();
    }
  });
});

describe('an import that finished', () => {
  it('notifies once, with the dataset to open', async () => {
    const env = await createLibraryCore();
    try {
      const file = join(env.dataDir, '..', 'tiny.jsonl');
      writeFileSync(
        file,
        `${[1, 2, 3]
          .map((i) =>
            JSON.stringify({
              messages: [
                { role: 'user', content: `q${i}` },
                { role: 'assistant', content: `a${i}` },
              ],
            }),
          )
          .join('\n')}\n`,
      );
      const { taskId } = await call<{ taskId: string }>(env.core, 'datasets.import', {
        path: file,
        name: 'tiny',
      });
      const note = await waitFor(
        async () =>
          (await call<Notification[]>(env.core, 'notifications.list', { kinds: ['dataset.imported'] }))[0] ??
          null,
        { what: `the import ${taskId} to be notified` },
      );
      expect(note).toMatchObject({ title: 'Import finished: tiny', datasetId: expect.stringMatching(/.+/) });
      const datasets = await call<Array<{ id: string }>>(env.core, 'datasets.list', {});
      expect(datasets.map((d) => d.id)).toContain(note.datasetId);
    } finally {
      await env.close();
    }
  }, 30_000);
});
