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
// FIXTURE_TRAINER_GPUS=N: report N CUDA GPUs like the fake nvidia-smi's (runs on them are charted).
const fakeGpus = Number(process.env.FIXTURE_TRAINER_GPUS ?? '0');
if (process.argv[2] === 'doctor') {
  process.stdout.write(
    `${JSON.stringify({
      ok: true,
      python: process.versions.node,
      torch: '0.0.0-fixture',
      cuda: fakeGpus > 0 ? '12.4' : null,
      transformers: '0.0.0-fixture',
      peft: '0.0.0-fixture',
      accelerate: null,
      bitsandbytes: null,
      flash_attn: null,
      bf16: false,
      gpus: Array.from({ length: fakeGpus }, (_, index) => ({
        index,
        name: 'NVIDIA H100 80GB HBM3',
        memory_total_mb: 81559,
      })),
      problems: [],
      warnings: fakeGpus > 0 ? [] : ['fixture trainer: CPU only'],
    })}\n`,
  );
  process.exit(0);
}
await import(pathToFileURL(fixture).href);
