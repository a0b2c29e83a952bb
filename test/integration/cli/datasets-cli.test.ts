import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

describe('lora-studio datasets', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('imports, lists, shows, freezes and exports a dataset, and refuses a bad file clearly', async () => {
    const file = join(tmp.dir, 'chat.jsonl');
    const rows = Array.from({ length: 30 }, (_, i) =>
      JSON.stringify({
        messages: [
          { role: 'user', content: `q${i}` },
          { role: 'assistant', content: `a${i}` },
        ],
      }),
    );
    writeFileSync(file, `${rows.join('\n')}\n{"messages": [{"role": "bot", "content": "hi"}]}\n`);
    const dataDir = join(tmp.dir, 'data');

    const imported = await runCli(['datasets', 'import', file, '--json', '--data-dir', dataDir]);
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout);
    expect(summary).toMatchObject({ name: 'chat', format: 'jsonl', rows: 31, valid: 30, invalid: 1 });

    const list = JSON.parse((await runCli(['datasets', 'list', '--json', '--data-dir', dataDir])).stdout);
    expect(list).toEqual([expect.objectContaining({ id: summary.id, rows: 31, format: 'jsonl' })]);

    const shown = JSON.parse(
      (await runCli(['datasets', 'show', summary.id, '--json', '--data-dir', dataDir])).stdout,
    );
    expect(shown).toMatchObject({ id: summary.id, rows: 31, valid: 30, invalid: 1, versions: 0 });
    expect(shown.stats.problems.length).toBeGreaterThan(0);

    const frozen = JSON.parse(
      (await runCli(['datasets', 'freeze', summary.id, '--json', '--data-dir', dataDir])).stdout,
    );
    expect(frozen).toMatchObject({ version: 1, rows: 30 });

    const out = join(tmp.dir, 'export.jsonl');
    const exported = await runCli([
      'datasets',
      'export',
      summary.id,
      '--out',
      out,
      '--json',
      '--data-dir',
      dataDir,
    ]);
    expect(JSON.parse(exported.stdout)).toMatchObject({ rows: 30 });

    const binary = join(tmp.dir, 'binary.jsonl');
    writeFileSync(binary, Buffer.from([0x7b, 0x00, 0x01, 0x02, 0xff, 0x00]));
    const refused = await runCli(['datasets', 'import', binary, '--json', '--data-dir', dataDir]);
    expect(refused.code).toBe(1);
    expect(JSON.parse(refused.stdout).error.code).toBe('BAD_INPUT');
    const after = JSON.parse((await runCli(['datasets', 'list', '--json', '--data-dir', dataDir])).stdout);
    expect(after).toHaveLength(1);
  }, 60_000);
});
