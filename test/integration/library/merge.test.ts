/**
 * Merge as a tracked task, with a fixture trainer that speaks `merge` as lora_trainer does: the
 * merged folder becomes an artifact of kind `merged` with a notification; a failed or cancelled
 * merge leaves no folder and no artifact.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  EventPayload,
  ModelArtifact,
  ModelArtifactDetail,
  Notification,
} from '../../../preload/contract';
import { call, createLibraryCore } from '../../helpers/library-core';
import { waitFor } from '../../helpers/temp-dir';

type Env = Awaited<ReturnType<typeof createLibraryCore>>;

async function trainedAdapter(env: Env): Promise<ModelArtifact> {
  const job = await env.createJob(20, 'to merge');
  expect((await env.ended(job.id)).status).toBe('completed');
  const [adapter] = await call<ModelArtifact[]>(env.core, 'models.list', {});
  return adapter as ModelArtifact;
}

function watchTask(env: Env, taskId: string) {
  const seen: Array<EventPayload<'task'> | EventPayload<'progress'>> = [];
  const off = env.core.events.subscribe((e) => {
    if ((e.name === 'task' || e.name === 'progress') && e.payload.taskId === taskId) seen.push(e.payload);
  });
  const ended = waitFor(() => seen.find((p): p is EventPayload<'task'> => 'state' in p), {
    timeoutMs: 20_000,
    what: `task ${taskId} to end`,
  }).finally(off);
  return { seen, ended };
}

describe('merge into the base model', () => {
  let env: Env | null = null;
  afterEach(async () => {
    await env?.close();
    env = null;
  });

  it('runs as a task and registers a merged model', async () => {
    env = await createLibraryCore({ fixture: 'merge.mjs', stepMs: 5 });
    const adapter = await trainedAdapter(env);
    const { taskId } = await call<{ taskId: string }>(env.core, 'models.merge', {
      id: adapter.id,
      dtype: 'fp16',
    });
    const task = watchTask(env, taskId);
    const end = await task.ended;
    expect(end).toMatchObject({ kind: 'models.merge', state: 'completed' });
    const merged = await call<ModelArtifactDetail>(env.core, 'models.get', { id: end.resultId });
    expect(merged).toMatchObject({ kind: 'merged', jobId: adapter.jobId, name: 'to merge (merged, fp16)' });
    expect(merged.files.map((f) => f.name)).toEqual(
      expect.arrayContaining(['config.json', 'model.safetensors']),
    );
    expect(merged.sha256).toBe(
      createHash('sha256')
        .update(readFileSync(join(merged.path, 'model.safetensors')))
        .digest('hex'),
    );
    const notes = await call<Notification[]>(env.core, 'notifications.list', { kinds: ['model.merged'] });
    expect(notes).toHaveLength(1);
    const refused = await env.core.api.invoke('models.merge', { id: merged.id });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
  }, 60_000);

  it('a failed merge leaves no folder and says why', async () => {
    env = await createLibraryCore({ fixture: 'merge.mjs', stepMs: 5, env: { FIXTURE_MERGE_FAIL: '1' } });
    const adapter = await trainedAdapter(env);
    const { taskId } = await call<{ taskId: string }>(env.core, 'models.merge', { id: adapter.id });
    const end = await watchTask(env, taskId).ended;
    expect(end.state).toBe('failed');
    expect(end.error?.message).toMatch(/NaNs detected/);
    expect(existsSync(join(env.dataDir, 'merged')) ? readdirSync(join(env.dataDir, 'merged')) : []).toEqual(
      [],
    );
    expect(await call<ModelArtifact[]>(env.core, 'models.list', {})).toHaveLength(1);
  }, 60_000);

  it('a cancelled merge stops the process and leaves nothing', async () => {
    env = await createLibraryCore({ fixture: 'merge.mjs', stepMs: 5, env: { FIXTURE_MERGE_MS: '30000' } });
    const adapter = await trainedAdapter(env);
    const { taskId } = await call<{ taskId: string }>(env.core, 'models.merge', { id: adapter.id });
    const task = watchTask(env, taskId);
    await waitFor(
      () => task.seen.some((p) => 'message' in p && /Loading checkpoint shards/.test(p.message ?? '')),
      // Generous: on a loaded 2-core machine the fixture merge process can take a while to start.
      { what: 'the merge to report progress', timeoutMs: 45_000 },
    );
    expect(await call(env.core, 'tasks.cancel', { taskId })).toEqual({ cancelled: true });
    const end = await task.ended;
    expect(end.state).toBe('cancelled');
    expect(existsSync(join(env.dataDir, 'merged')) ? readdirSync(join(env.dataDir, 'merged')) : []).toEqual(
      [],
    );
    expect(await call<ModelArtifact[]>(env.core, 'models.list', {})).toHaveLength(1);
  }, 60_000);
});
