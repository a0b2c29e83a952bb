/**
 * For tests that run the REAL Python trainer (resources/trainer) through createCore: the tiny
 * offline model, a frozen dataset version made through the API (import → split → freeze), and
 * waiting for a job to end. Needs LORA_STUDIO_TEST_PYTHON (the trainer's venv interpreter).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'vitest';
import type { Core } from '../../main/core';
import type { EventPayload, JobDetail } from '../../preload/contract';
import { waitFor } from './temp-dir';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const TRAINER_DIR = join(ROOT, 'resources', 'trainer');
export const TRAINER_TESTS = join(TRAINER_DIR, 'tests');
export const testPython = process.env.LORA_STUDIO_TEST_PYTHON;
const TERMINAL = ['completed', 'failed', 'cancelled', 'interrupted'];

/** Build the tiny random Llama + tokenizer (tests/tiny_model.py) into `dir`. */
export function buildTinyModel(python: string, dir: string): void {
  const built = spawnSync(
    python,
    [
      '-c',
      'import sys; sys.path.insert(0, sys.argv[2]); from tiny_model import build_tiny_model; build_tiny_model(sys.argv[1])',
      dir,
      TRAINER_TESTS,
    ],
    { encoding: 'utf8', env: { ...process.env, HF_HUB_OFFLINE: '1' } },
  );
  if (built.status !== 0) throw new Error(`building the tiny model failed: ${built.stderr}`);
}

/** A chat dataset of `rows` rows imported, split (`val` rows) and frozen through the API. */
export async function frozenVersion(core: Core, dir: string, rows: number, val: number): Promise<string> {
  const file = join(dir, `chat-${rows}.jsonl`);
  const qa = [
    ['What is the capital of France?', 'Paris.'],
    ['What is two plus two?', 'Four.'],
    ['Say hello.', 'Hello! How can I help you today?'],
    ['What color is the sky?', 'The sky is blue.'],
  ];
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    const [q, a] = qa[i % qa.length] as [string, string];
    lines.push(
      JSON.stringify({
        messages: [
          { role: 'user', content: q },
          { role: 'assistant', content: a },
        ],
      }),
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const ended = new Promise<EventPayload<'task'>>((res) => {
    const off = core.events.subscribe((event) => {
      if (event.name === 'task' && event.payload.kind === 'datasets.import') {
        off();
        res(event.payload);
      }
    });
  });
  const started = await core.api.invoke('datasets.import', { path: file, name: `chat ${rows}` });
  if (!started.ok) throw new Error(`import refused: ${JSON.stringify(started)}`);
  const task = await ended;
  if (task.state !== 'completed' || !task.resultId) throw new Error(`import failed: ${JSON.stringify(task)}`);
  const split = await core.api.invoke('datasets.split', { id: task.resultId, valCount: val, seed: 1 });
  if (!split.ok) throw new Error(`split failed: ${JSON.stringify(split)}`);
  const frozen = await core.api.invoke('datasets.freeze', { id: task.resultId });
  if (!frozen.ok) throw new Error(`freeze failed: ${JSON.stringify(frozen)}`);
  return (frozen.value as { id: string }).id;
}

/** The job, through the API. */
export async function getJob(core: Core, id: string): Promise<JobDetail> {
  const r = await core.api.invoke('jobs.get', { id });
  if (!r.ok) throw new Error(`jobs.get ${id}: ${JSON.stringify(r)}`);
  return r.value as JobDetail;
}

/** Wait until the job reaches a final status; returns it. */
export function waitForEnd(core: Core, id: string, timeoutMs = 240_000): Promise<JobDetail> {
  return waitFor(
    async () => {
      const job = await getJob(core, id);
      return TERMINAL.includes(job.status) ? job : null;
    },
    { timeoutMs, intervalMs: 250, what: `job ${id} to end` },
  );
}

/** GitHub Actions, GitLab and most CI services set CI=true; "false" or "0" opts out. */
const underCi = !['', '0', 'false', undefined].includes(process.env.CI?.toLowerCase());

/**
 * Tests that need the trainer's Python are skipped without it on a workstation, but under CI a
 * missing interpreter (a broken venv build) must fail, never pass silently: call this at the top
 * of such a test file.
 */
export function failWithoutPythonUnderCi(what: string): void {
  if (testPython) return;
  if (!underCi) {
    console.warn(
      `\n⚠ SKIPPED "${what}": LORA_STUDIO_TEST_PYTHON is not set (\`npm test\` sets it from the venv that scripts/test-python.mjs builds).\n`,
    );
    return;
  }
  describe(what, () => {
    it('has the trainer’s Python under CI', () => {
      throw new Error(
        'LORA_STUDIO_TEST_PYTHON is not set under CI: the real trainer cannot run. `npm test` sets it from the venv.',
      );
    });
  });
}
