#!/usr/bin/env node
// `npm run test:stress`: the long variants of the reliability suite (shared/RELIABILITY.md), the
// same tests as `npm test` with larger counts: 500 SIGKILLed writers, a 60 s event flood, the IPC
// fuzz and the 10,000 wrong tokens; then the `stress` project (test/stress): a 5 GB JSONL import.
// Override the sizes with the environment variables below, e.g. on a shared machine:
// LORA_STRESS_KILL9_RUNS=200 LORA_FLOOD_SECONDS=30 LORA_STRESS_IMPORT_MB=1024 npm run test:stress
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const env = {
  ...process.env,
  LORA_STRESS_KILL9_RUNS: process.env.LORA_STRESS_KILL9_RUNS ?? '500',
  LORA_FLOOD_SECONDS: process.env.LORA_FLOOD_SECONDS ?? '60',
  LORA_STRESS_IMPORT_MB: process.env.LORA_STRESS_IMPORT_MB ?? '5120',
};
console.log(
  `stress: ${env.LORA_STRESS_KILL9_RUNS} kill -9 runs, ${env.LORA_FLOOD_SECONDS} s flood, IPC fuzz, 10,000 wrong tokens, ` +
    `a ${env.LORA_STRESS_IMPORT_MB} MB import`,
);
const result = spawnSync(
  npx,
  [
    'vitest',
    'run',
    '--project',
    'integration',
    'test/integration/db/kill9.test.ts',
    'test/integration/training/flood.test.ts',
    'test/integration/api/ipc-fuzz.test.ts',
    'test/integration/server/http-server-auth.test.ts',
    'test/integration/datasets/import-nasty.test.ts',
  ],
  { cwd: root, env, stdio: 'inherit' },
);
// The big import runs even when the first part failed: each part's figures are wanted. It imports
// through the built CLI, so the app is built first.
const build = spawnSync(npx, ['electron-vite', 'build'], { cwd: root, env, stdio: ['ignore', 2, 'inherit'] });
const big =
  build.status === 0
    ? spawnSync(npx, ['vitest', 'run', '--project', 'stress'], { cwd: root, env, stdio: 'inherit' })
    : build;
process.exitCode = result.status === 0 && big.status === 0 ? 0 : 1;
