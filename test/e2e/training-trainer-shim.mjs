#!/usr/bin/env node
// `node training-trainer-shim.mjs <fixture.mjs> <subcommand> …`: answers `doctor` with a CPU-only
// environment report (the fixture trainers in test/fixtures/trainers only speak `train`), and hands
// every other subcommand to the fixture unchanged. Preflight runs `<trainer> doctor` before a job
// may be queued, so the UI tests need an answer.
// TODO(process helper): drop this once the fixture trainers answer `doctor` themselves.
import { pathToFileURL } from 'node:url';

const [fixture] = process.argv.splice(2, 1);
if (fixture === undefined) {
  process.stderr.write('usage: training-trainer-shim.mjs FIXTURE SUBCOMMAND …\n');
  process.exit(2);
}
if (process.argv[2] === 'doctor') {
  process.stdout.write(
    `${JSON.stringify({
      ok: true,
      python: process.versions.node,
      torch: '0.0.0-fixture',
      cuda: null,
      transformers: '0.0.0-fixture',
      peft: '0.0.0-fixture',
      accelerate: null,
      bitsandbytes: null,
      flash_attn: null,
      bf16: false,
      gpus: [],
      problems: [],
      warnings: ['fixture trainer: CPU only'],
    })}\n`,
  );
  process.exit(0);
}
await import(pathToFileURL(fixture).href);
