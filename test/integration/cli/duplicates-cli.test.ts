/**
 * Defect 9: 50,000 identical rows import and freeze with a warning giving the count and the command
 * that removes them; `datasets dedupe --apply` removes them and the warning goes away.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

const tmp = makeTempDir();
const env: NodeJS.ProcessEnv = { ...process.env, PATH: `/nonexistent:${process.env.PATH}` };
delete env.LORA_STUDIO_HOME;
afterAll(() => tmp.cleanup());

describe('duplicate rows', () => {
  it('warns at import and at freeze with the count and the dedupe command', async () => {
    const dataDir = join(tmp.dir, 'data');
    const file = join(tmp.dir, 'same.jsonl');
    writeFileSync(file, '{"text":"the same row"}\n'.repeat(50_000));
    const imported = await runCli(['datasets', 'import', file, '--json', '--data-dir', dataDir], env);
    expect(imported.code, imported.stderr).toBe(0);
    const summary = JSON.parse(imported.stdout) as { id: string; rows: number; duplicates: number };
    expect(summary).toMatchObject({ rows: 50_000, duplicates: 49_999 });
    const warning = `Warning: 49,999 rows repeat another row exactly; they would be trained on as often as they appear. Remove them with: lora-studio datasets dedupe ${summary.id} --apply`;
    expect(imported.stderr).toContain(warning);

    const frozen = await runCli(['datasets', 'freeze', summary.id, '--data-dir', dataDir], env);
    expect(frozen.code, frozen.stderr).toBe(0);
    expect(frozen.stderr).toContain(warning);

    const counted = await runCli(['datasets', 'dedupe', summary.id, '--json', '--data-dir', dataDir], env);
    expect(counted.code, counted.stderr).toBe(0);
    expect(JSON.parse(counted.stdout)).toMatchObject({ duplicates: 49_999, applied: false });
    const applied = await runCli(['datasets', 'dedupe', summary.id, '--apply', '--data-dir', dataDir], env);
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toMatch(/Removed 49999 exact duplicate rows/);
    const again = await runCli(['datasets', 'freeze', summary.id, '--json', '--data-dir', dataDir], env);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: 1, duplicates: 0 });
    expect(again.stderr).not.toContain('Warning');
  }, 180_000);
});
