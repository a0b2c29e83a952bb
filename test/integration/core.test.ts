import { existsSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../main/core';
import type { GpuStatus, PushedEvent } from '../../preload/contract';
import { makeTempDir, waitFor } from '../helpers/temp-dir';
import { openDataDirDb } from '../helpers/test-db';

/** A notification as the training side would store it (no channel creates one). */
async function seedNotification(dataDir: string, title: string): Promise<void> {
  const opened = await openDataDirDb(dataDir);
  try {
    opened.sqlite
      .prepare(
        `INSERT INTO notifications (id, kind, job_id, title, body, read_at, created_at, updated_at)
         VALUES (?, 'job.completed', NULL, ?, NULL, NULL, ?, ?)`,
      )
      .run(`ntf_${Date.now().toString(36)}`, title, Date.now(), Date.now());
  } finally {
    opened.close();
  }
}

const FIXTURE_BIN = resolve(import.meta.dirname, '..', 'fixtures', 'bin');

describe('createCore on a temp data folder', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  const cores: Core[] = [];
  const open = async (extra: Partial<Parameters<typeof createCore>[0]> = {}) => {
    const core = await createCore({ dataDir: tmp.dir, shell: 'test', ...extra });
    cores.push(core);
    return core;
  };
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(async () => {
    await Promise.all(cores.splice(0).map((c) => c.close()));
    tmp.cleanup();
  });

  it('creates the database in the data folder and reports itself', async () => {
    const core = await open();
    const info = await core.api.invoke('app.info', {});
    expect(info).toMatchObject({ ok: true, value: { name: 'LoRA Studio', dataDir: tmp.dir, shell: 'test' } });
    expect(existsSync(join(tmp.dir, 'lora-studio.db'))).toBe(true);
  });

  it('keeps a setting across a restart and announces the change', async () => {
    const first = await open();
    const seen: PushedEvent[] = [];
    first.events.subscribe((e) => seen.push(e));
    const updated = await first.api.invoke('settings.update', {
      'energy.pricePerKwh': 0.41,
      'energy.currency': 'USD',
    });
    expect(updated).toMatchObject({
      ok: true,
      value: { 'energy.pricePerKwh': 0.41, 'energy.currency': 'USD' },
    });
    expect(seen).toContainEqual({ name: 'changed', payload: { entity: 'settings', id: null } });
    await first.close();

    const second = await open();
    const settings = await second.api.invoke('settings.get', {});
    expect(settings).toMatchObject({
      ok: true,
      value: { 'energy.pricePerKwh': 0.41, 'energy.currency': 'USD', 'ui.theme': 'system' },
    });
  });

  it('refuses a bad setting and leaves the stored ones as they were', async () => {
    const core = await open();
    await core.api.invoke('settings.update', { 'energy.pricePerKwh': 0.2 });
    const bad = await core.api.invoke('settings.update', {
      'energy.pricePerKwh': 0.3,
      'energy.currency': 'euro',
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(await core.api.invoke('settings.get', {})).toMatchObject({
      ok: true,
      value: { 'energy.pricePerKwh': 0.2 },
    });
  });

  it('lists notifications and marks them read', async () => {
    const core = await open();
    await seedNotification(tmp.dir, 'tiny-llama finished');
    const listed = await core.api.invoke('notifications.list', { unreadOnly: true });
    expect(listed).toMatchObject({ ok: true, value: [{ title: 'tiny-llama finished', read: false }] });
    expect(await core.api.invoke('notifications.markRead', {})).toEqual({ ok: true, value: { updated: 1 } });
    expect(await core.api.invoke('notifications.list', { unreadOnly: true })).toEqual({
      ok: true,
      value: [],
    });
  });

  it('lets one core per data folder own the queue, and hands the lock over on close', async () => {
    const first = await open();
    const second = await open();
    expect(first.info.isPrimary).toBe(true);
    expect(second.info.isPrimary).toBe(false);
    expect(await second.api.invoke('app.info', {})).toMatchObject({ ok: true, value: { isPrimary: false } });
    await first.close();
    const third = await open();
    expect(third.info.isPrimary).toBe(true);
  });

  it('answers where a task stands after its event has gone by (tasks.get)', async () => {
    const core = await open();
    const file = join(tmp.dir, 'rows.jsonl');
    writeFileSync(file, '{"text":"one"}\n{"text":"two"}\n');
    const ended = new Promise<PushedEvent>((resolve) => {
      core.events.subscribe((e) => {
        if (e.name === 'task') resolve(e);
      });
    });
    const started = await core.api.invoke('datasets.import', { path: file });
    if (!started.ok) throw new Error(started.error.message);
    const { taskId } = started.value as { taskId: string };
    const event = await ended;
    expect(event).toMatchObject({ payload: { taskId, state: 'completed' } });
    const state = await core.api.invoke('tasks.get', { taskId });
    expect(state).toEqual({
      ok: true,
      value: {
        taskId,
        kind: 'datasets.import',
        state: 'completed',
        resultId: expect.any(String),
        error: null,
      },
    });
    expect(await core.api.invoke('tasks.get', { taskId: 'task_nope' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });

  it('exposes exactly four members: api, events, info, close', async () => {
    const core = await open();
    expect(Object.keys(core).sort()).toEqual(['api', 'close', 'events', 'info']);
  });

  it('streams GPU telemetry from nvidia-smi when present', async () => {
    const env = { ...process.env, PATH: `${FIXTURE_BIN}${delimiter}${process.env.PATH ?? ''}` };
    const core = await open({ telemetry: true, env });
    const statuses: GpuStatus[] = [];
    core.events.subscribe((e) => {
      if (e.name === 'telemetry.gpu') statuses.push(e.payload);
    });
    const ok = await waitFor(() => statuses.find((s) => s.state === 'ok'), { what: 'a GPU sample' });
    expect(ok.gpus.length).toBeGreaterThan(0);
    expect(ok.gpus[0]?.name).toMatch(/NVIDIA/);
    expect(await core.api.invoke('telemetry.gpu', {})).toMatchObject({ ok: true, value: { state: 'ok' } });
  });

  it('explains a machine without nvidia-smi as a normal state', async () => {
    const env = { ...process.env, PATH: '/nonexistent' };
    const core = await open({ telemetry: true, env });
    const status = await waitFor(
      async () => {
        const r = await core.api.invoke('telemetry.gpu', {});
        return r.ok && (r.value as GpuStatus).state !== 'starting' ? (r.value as GpuStatus) : null;
      },
      { what: 'the GPU state' },
    );
    expect(status.state).toBe('no-nvidia-smi');
    expect(status.message).toMatch(/nvidia-smi/);
  });
});
