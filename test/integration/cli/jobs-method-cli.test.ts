import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli';
import { makeTempDir } from '../../helpers/temp-dir';

describe('lora-studio jobs create --method', () => {
  let tmp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    tmp = makeTempDir();
  });
  afterEach(() => tmp.cleanup());

  it('refuses an unknown training method before doing anything, and lists the methods in the help', async () => {
    const dataDir = join(tmp.dir, 'data');
    const bad = await runCli([
      'jobs',
      'create',
      '--dataset',
      'x',
      '--model',
      tmp.dir,
      '--method',
      'ppo',
      '--data-dir',
      dataDir,
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('--method must be sft, dpo, orpo or kto');
    const help = await runCli(['--help']);
    expect(help.stdout + help.stderr).toContain('[--method sft|dpo|orpo|kto]');
  });
});
