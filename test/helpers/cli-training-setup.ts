import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { writeFakeModel } from '../fixtures/fake-model';
import { runCli } from './run-cli';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SHIM = join(ROOT, 'test/e2e/training-trainer-shim.mjs');
const TRAINERS = join(ROOT, 'test/fixtures/trainers');

/** `trainer.command` running a fixture trainer of test/fixtures/trainers (through the doctor shim). */
export function fixtureTrainerCommand(fixture: string): string {
  return [process.execPath, SHIM, join(TRAINERS, fixture)].map((w) => `"${w}"`).join(' ');
}

/** `jobs create` of a CPU job (the user's choice: `--gpus cpu`) from a dataset and a model, then `extra`. */
export function cpuJobArgs(datasetId: string, model: string, ...extra: ReadonlyArray<string>): string[] {
  return ['jobs', 'create', '--dataset', datasetId, '--model', model, '--gpus', 'cpu', ...extra];
}

/** A 30-row chat dataset ("What is i + i?") written as JSONL to `file`. */
export function writeArithmeticDataset(file: string): void {
  const rows = Array.from({ length: 30 }, (_, i) =>
    JSON.stringify({
      messages: [
        { role: 'user', content: `What is ${i} + ${i}?` },
        { role: 'assistant', content: `${i + i}.` },
      ],
    }),
  );
  writeFileSync(file, `${rows.join('\n')}\n`);
}

/**
 * Everything a job needs, made through the CLI as a person would: the fixture trainer as
 * `trainer.command`, a tiny model folder, and an imported, frozen chat dataset. Returns its ids.
 */
export async function prepareTrainingFolder(
  dataDir: string,
  scratch: string,
  fixture: string,
  env: NodeJS.ProcessEnv,
): Promise<{ readonly datasetId: string; readonly model: string }> {
  const cli = async (args: ReadonlyArray<string>) => {
    const result = await runCli([...args, '--data-dir', dataDir, '--json'], env);
    if (result.code !== 0)
      throw new Error(`lora-studio ${args.join(' ')} failed: ${result.stdout}${result.stderr}`);
    return JSON.parse(result.stdout) as Record<string, unknown>;
  };
  await cli(['settings', 'set', 'trainer.command', fixtureTrainerCommand(fixture)]);
  const model = join(scratch, 'tiny-llama');
  writeFakeModel(model, { chatTemplate: 'tokenizer_config' });
  const file = join(scratch, 'arithmetic.jsonl');
  writeArithmeticDataset(file);
  const imported = await cli(['datasets', 'import', file]);
  await cli(['datasets', 'freeze', imported.id as string]);
  return { datasetId: imported.id as string, model };
}
