#!/usr/bin/env node
// `npm test`: every check, in order: types, lint, unit + integration, the trainer's Python tests,
// then the UI end to end in Chromium. Runs every step and fails if any failed.
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const steps = [
  ['typecheck (main, preload, db, tests)', npx, ['tsc', '--noEmit', '-p', 'tsconfig.json']],
  ['typecheck (renderer)', npx, ['tsc', '--noEmit', '-p', 'tsconfig.renderer.json']],
  ['lint (biome)', npx, ['biome', 'check', '.']],
  // First, so that its venv (cached in ~/.cache/lora-studio) is there for the app-level run below.
  ['trainer (pytest)', process.execPath, ['scripts/test-python.mjs']],
  // Before the integration tests: the CLI-while-serve test runs the real `serve`, which serves the built UI.
  ['build (electron-vite)', npx, ['electron-vite', 'build']],
  ['unit + integration (vitest)', npx, ['vitest', 'run', '--project', 'unit', '--project', 'integration']],
  ['e2e (Chromium against serve mode)', npx, ['vitest', 'run', '--project', 'e2e']],
];

/** The trainer venv's interpreter, for the tests in which the core runs the real trainer (integration, e2e's About panel). */
function trainerPython() {
  if (process.env.LORA_STUDIO_TEST_PYTHON) return process.env.LORA_STUDIO_TEST_PYTHON;
  const setup = spawnSync(process.execPath, ['scripts/test-python.mjs', '--setup-only'], {
    cwd: root,
    encoding: 'utf8',
  });
  const lines = (setup.stdout ?? '').trim().split('\n');
  return setup.status === 0 ? lines.at(-1) : undefined;
}

const only = process.argv.slice(2);
const results = [];
for (const [name, command, args] of steps) {
  if (only.length > 0 && !only.some((o) => name.startsWith(o))) continue;
  const started = Date.now();
  console.log(`\n━━ ${name}`);
  const env = { ...process.env };
  if (name.startsWith('unit') || name.startsWith('e2e')) {
    const python = trainerPython();
    if (python) env.LORA_STUDIO_TEST_PYTHON = python;
  }
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const ok = run.status === 0;
  results.push({ name, ok, seconds });
  console.log(`━━ ${name}: ${ok ? 'ok' : `FAILED (exit ${run.status ?? run.signal})`} in ${seconds} s`);
}

console.log('\nSummary');
for (const r of results) console.log(`  ${r.ok ? '✓' : '✗'} ${r.name} (${r.seconds} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
