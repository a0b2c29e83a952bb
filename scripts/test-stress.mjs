#!/usr/bin/env node
// `npm run test:stress`: the long variants of the reliability suite (shared/RELIABILITY.md), the
// same tests as `npm test` with larger counts: 500 SIGKILLed writers, a 60 s event flood, the IPC
// fuzz and the 10,000 wrong tokens. Override the sizes with the environment variables below, e.g.
// on a shared machine: LORA_STRESS_KILL9_RUNS=200 LORA_FLOOD_SECONDS=30 npm run test:stress
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const env = {
  ...process.env,
  LORA_STRESS_KILL9_RUNS: process.env.LORA_STRESS_KILL9_RUNS ?? '500',
  LORA_FLOOD_SECONDS: process.env.LORA_FLOOD_SECONDS ?? '60',
};
console.log(
  `stress: ${env.LORA_STRESS_KILL9_RUNS} kill -9 runs, ${env.LORA_FLOOD_SECONDS} s flood, IPC fuzz, 10,000 wrong tokens`,
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
process.exitCode = result.status ?? 1;
