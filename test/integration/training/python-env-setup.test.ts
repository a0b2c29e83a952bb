import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Core, createCore } from '../../../main/core';
import type { EventPayload } from '../../../preload/contract';
import { makeTempDir, waitFor } from '../../helpers/temp-dir';

/** "Set up Python environment", for real: python3 -m venv and pip, on requirements that need no network. */
describe('setting up the Python environment from the app', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  let core: Core;
  const tasks: EventPayload<'task'>[] = [];
  const progress: EventPayload<'progress'>[] = [];

  async function pythonSetting(): Promise<string | null> {
    const settings = await core.api.invoke('settings.get', {});
    if (!settings.ok) throw new Error(settings.error.message);
    return (settings.value as { 'python.path': string | null })['python.path'];
  }

  async function open(requirements: string) {
    const trainerDir = join(tmp.dir, 'trainer');
    mkdirSync(trainerDir, { recursive: true });
    writeFileSync(join(trainerDir, 'requirements.txt'), requirements);
    core = await createCore({ dataDir: join(tmp.dir, 'data'), shell: 'test', trainerDir });
    core.events.subscribe((e) => {
      if (e.name === 'task') tasks.push(e.payload);
      if (e.name === 'progress') progress.push(e.payload);
    });
  }

  beforeEach(() => {
    tmp = makeTempDir();
    tasks.length = 0;
    progress.length = 0;
  });
  afterEach(async () => {
    await core?.close();
    tmp.cleanup();
  });

  it('creates a venv in the data folder, streams pip, and makes it the interpreter', async () => {
    await open('# nothing to install: the test has no network\n');
    const started = await core.api.invoke('python.setup', {});
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const { taskId } = started.value as { taskId: string };
    const done = await waitFor(() => tasks.find((t) => t.taskId === taskId), {
      timeoutMs: 120_000,
      what: 'setup',
    });
    expect(done).toMatchObject({ state: 'completed', kind: 'python.setup' });
    const python = await pythonSetting();
    expect(python).toBe(join(tmp.dir, 'data', 'python-env', 'bin', 'python'));
    expect(existsSync(python as string)).toBe(true);
    expect(progress.some((p) => p.taskId === taskId)).toBe(true);
  }, 150_000);

  it('fails with pip’s own words, removes the half-made venv and keeps the old setting', async () => {
    await open('./no-such-package.whl\n');
    await core.api.invoke('settings.update', { 'python.path': '/usr/bin/python3' });
    const started = await core.api.invoke('python.setup', {});
    if (!started.ok) throw new Error(started.error.message);
    const { taskId } = started.value as { taskId: string };
    const done = await waitFor(() => tasks.find((t) => t.taskId === taskId), {
      timeoutMs: 120_000,
      what: 'setup',
    });
    expect(done.state).toBe('failed');
    expect(done.error?.message).toMatch(/no-such-package/);
    expect(existsSync(join(tmp.dir, 'data', 'python-env'))).toBe(false);
    expect(await pythonSetting()).toBe('/usr/bin/python3');
  }, 150_000);
});
