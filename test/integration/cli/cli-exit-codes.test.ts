/**
 * Every CLI command's exit code: 0 only when it did what it was asked, 1 when it could not, 2 for a
 * usage error. A usage error (a bad --host included) is found before the data folder is created.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

const tmp = makeTempDir();
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `/nonexistent:${process.env.PATH}` };
delete env.LORA_STUDIO_HOME;

/** Run commands two at a time (the machine is shared) and return their results in order. */
async function runAll(commands: ReadonlyArray<ReadonlyArray<string>>) {
  const results = [];
  for (let i = 0; i < commands.length; i += 2) {
    results.push(...(await Promise.all(commands.slice(i, i + 2).map((args) => runCli(args, env)))));
  }
  return results;
}

describe('CLI exit codes', () => {
  const dataDir = join(tmp.dir, 'data');
  const missing = join(tmp.dir, 'never-created');
  let datasetId = '';
  beforeAll(async () => {
    const file = join(tmp.dir, 'rows.jsonl');
    writeFileSync(file, '{"text":"one"}\n{"text":"two"}\n');
    const imported = await runCli(['datasets', 'import', file, '--json', '--data-dir', dataDir], env);
    expect(imported.code, imported.stderr).toBe(0);
    datasetId = JSON.parse(imported.stdout).id;
  }, 60_000);
  afterAll(() => tmp.cleanup());

  it('0 for every command that succeeds', async () => {
    const commands = [
      ['settings', 'list'],
      ['settings', 'get', 'energy.currency'],
      ['settings', 'set', 'energy.currency', 'USD'],
      ['notifications', 'list'],
      ['datasets', 'list'],
      ['datasets', 'show', datasetId],
      ['datasets', 'freeze', datasetId],
      ['jobs', 'list'],
      ['models', 'list'],
      ['doctor'],
      ['help'],
    ].map((c) => [...c, '--data-dir', dataDir]);
    const results = await runAll(commands);
    for (const [i, r] of results.entries()) expect(r.code, `${commands[i]!.join(' ')}: ${r.stderr}`).toBe(0);
    // Human text unless --json: `datasets show` prints no JSON without it.
    const shown = results[5]!.stdout;
    expect(shown).toMatch(new RegExp(`^${datasetId}\\s+"rows"`));
    expect(() => JSON.parse(shown)).toThrow();
  }, 120_000);

  it('1 when what was asked did not happen', async () => {
    const commands = [
      ['settings', 'get', 'no.such.setting'],
      ['settings', 'set', 'energy.pricePerKwh', '-5'],
      ['datasets', 'show', 'ds_nope'],
      ['datasets', 'import', join(tmp.dir, 'no-such-file.jsonl')],
      ['datasets', 'delete', 'ds_nope'],
      ['jobs', 'show', 'job_nope'],
      ['jobs', 'cancel', 'job_nope'],
      ['jobs', 'create', '--dataset', 'ds_nope', '--model', tmp.dir],
      ['jobs', 'create', '--dataset', datasetId, '--model', join(tmp.dir, 'no-model'), '--gpus', 'cpu'],
      ['estimate', '--model', join(tmp.dir, 'no-model')],
      ['jobs', 'create', '--dataset', datasetId, '--model', tmp.dir, '--set', '__proto__={"polluted":1}'],
    ].map((c) => [...c, '--data-dir', dataDir, '--json']);
    const results = await runAll(commands);
    results.forEach((r, i) => {
      const what = commands[i]!.join(' ');
      expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(1);
      expect(JSON.parse(r.stdout).error.code).toMatch(/^[A-Z_]+$/);
    });
    expect(JSON.parse(results[1]!.stdout).error.message).toMatch(/cannot be negative/);
    expect(JSON.parse(results[10]!.stdout).error.message).toMatch(
      /Unknown --set key "__proto__". Known keys: .*lora_r/,
    );
  }, 120_000);

  it('2 for a usage error, found before the data folder is created', async () => {
    const commands = [
      ['frobnicate'],
      ['--no-such-flag'],
      ['settings', 'set', 'energy.currency'],
      ['settings', 'frob'],
      ['datasets', 'show'],
      ['datasets', 'import'],
      ['datasets', 'import', 'x.jsonl', '--format', 'xls'],
      ['datasets', 'export', 'ds_x'],
      ['jobs', 'show'],
      ['jobs', 'logs', 'job_x', '--stream', 'tv'],
      ['jobs', 'create', '--model', 'm'],
      ['jobs', 'create', '--dataset', 'd', '--model', 'm', '--gpus', 'one'],
      ['jobs', 'create', '--dataset', 'd', '--model', 'm', '--timeout', '5'],
      ['jobs', 'create', '--dataset', 'd', '--model', 'm', '--wait', '--timeout', '-1'],
      ['jobs', 'frob'],
      ['estimate', '--model', 'm', '--seq', '-5'],
      ['notifications', 'frob'],
      ['models', 'frob'],
      ['serve', '--host', '0.0.0.0'],
      ['serve', '--port', '99999'],
    ].map((c) => [...c, '--data-dir', missing, '--json']);
    const results = await runAll(commands);
    results.forEach((r, i) => {
      const what = commands[i]!.join(' ');
      expect(r.code, `${what}: ${r.stdout}${r.stderr}`).toBe(2);
      expect(JSON.parse(r.stdout).error.code, what).toBe('USAGE');
    });
    expect(JSON.parse(results[18]!.stdout).error.message).toMatch(/only listens on loopback.*ssh -L/s);
    expect(existsSync(missing)).toBe(false);
  }, 180_000);
});
