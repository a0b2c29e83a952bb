import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTrainerDoctor, type TrainerCommand } from '../../../main/training/trainer-doctor';
import { makeTempDir } from '../../helpers/temp-dir';

/** A stand-in for `python -m lora_trainer`, behaving as FAKE_MODE says. */
const FAKE_TRAINER = `
const mode = process.env.FAKE_MODE;
if (process.argv.at(-1) !== 'doctor') { console.error('usage: doctor'); process.exit(2); }
const report = { ok: true, python: '3.12.3', torch: '2.11.0', cuda: '13.0', transformers: '5.17.0',
  peft: '0.18.0', accelerate: '1.15.0', bitsandbytes: null, flash_attn: null, bf16: true,
  gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', memory_total_mb: 81559 }], problems: [],
  warnings: ['bitsandbytes is not installed: QLoRA is unavailable'], extra_field: 1 };
if (mode === 'ok') console.log(JSON.stringify(report));
if (mode === 'noisy') console.log('Warning: something printed first\\n' + JSON.stringify(report));
if (mode === 'garbage') console.log('not json');
if (mode === 'crash') {
  console.error('Traceback...\\nModuleNotFoundError: No module named lora_trainer');
  process.exit(1);
}
if (mode === 'hang') setTimeout(() => {}, 60000);
`;

let tmp: ReturnType<typeof makeTempDir>;
let script: string;
beforeAll(() => {
  tmp = makeTempDir('lora-studio-doctor-');
  script = join(tmp.dir, 'fake-trainer.cjs');
  writeFileSync(script, FAKE_TRAINER);
});
afterAll(() => tmp.cleanup());

const trainer = (mode: string): TrainerCommand => ({
  command: process.execPath,
  args: [script],
  env: { ...process.env, FAKE_MODE: mode },
});

describe('runTrainerDoctor (a real child process)', () => {
  it('parses the report, keeping unknown fields out', async () => {
    const run = await runTrainerDoctor(trainer('ok'));
    expect(run.problem).toBeNull();
    expect(run.doctor).toMatchObject({ ok: true, torch: '2.11.0', bitsandbytes: null, bf16: true });
    expect(run.doctor?.gpus).toEqual([{ index: 0, name: 'NVIDIA H100 80GB HBM3', memory_total_mb: 81559 }]);
    expect(run.doctor).not.toHaveProperty('extra_field');
  });

  it('finds the JSON line after stray output', async () => {
    expect((await runTrainerDoctor(trainer('noisy'))).doctor?.ok).toBe(true);
  });

  it('reports output that is not a report', async () => {
    const run = await runTrainerDoctor(trainer('garbage'));
    expect(run.doctor).toBeNull();
    expect(run.problem).toMatch(/exited with 0 without a report/);
  });

  it('reports a crash with the last line of stderr', async () => {
    const run = await runTrainerDoctor(trainer('crash'));
    expect(run.problem).toMatch(
      /exited with 1 without a report: ModuleNotFoundError: No module named lora_trainer/,
    );
  });

  it('gives up after the time limit', async () => {
    const run = await runTrainerDoctor(trainer('hang'), { timeoutMs: 300 });
    expect(run.problem).toMatch(/did not answer within 0\.3 s/);
  });

  it('reports a command that does not exist', async () => {
    const run = await runTrainerDoctor({
      command: join(tmp.dir, 'no-such-python'),
      args: ['-m', 'lora_trainer'],
    });
    expect(run.problem).toMatch(/^Could not start `.*no-such-python -m lora_trainer doctor`/);
  });
});
