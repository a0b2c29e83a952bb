import { describe, expect, it } from 'vitest';
import {
  parseTrainerCommand,
  resolveTrainerCommand,
  splitCommandLine,
} from '../../../main/training/trainer-command';

describe('trainer command', () => {
  it('splits a command line into argv without a shell', () => {
    expect(splitCommandLine('python3 -m lora_trainer')).toEqual(['python3', '-m', 'lora_trainer']);
    expect(splitCommandLine(`  "/opt/my env/bin/python"   -m  'my trainer' a\\ b ""`)).toEqual([
      '/opt/my env/bin/python',
      '-m',
      'my trainer',
      'a b',
      '',
    ]);
    expect(splitCommandLine('echo $HOME; rm -rf / | cat > x `id`')).toEqual([
      'echo',
      '$HOME;',
      'rm',
      '-rf',
      '/',
      '|',
      'cat',
      '>',
      'x',
      '`id`',
    ]);
    expect(splitCommandLine('say "a \\"quoted\\" word" \'it\'"s"')).toEqual([
      'say',
      'a "quoted" word',
      'its',
    ]);
    expect(splitCommandLine('C:\\Python312\\python.exe -m lora_trainer', 'win32')).toEqual([
      'C:\\Python312\\python.exe',
      '-m',
      'lora_trainer',
    ]);
  });

  it('refuses an unclosed quote and an empty command', () => {
    expect(() => splitCommandLine('python "oops')).toThrow(/unclosed " quote/);
    expect(() => parseTrainerCommand('   ')).toThrow(/empty/);
  });

  it('prefers LORA_STUDIO_TRAINER over the setting over the built-in trainer', () => {
    const base = {
      python: '/venv/bin/python',
      trainerDir: '/app/resources/trainer',
      platform: 'linux' as const,
    };
    expect(
      resolveTrainerCommand({
        ...base,
        setting: 'my-trainer --x',
        env: { LORA_STUDIO_TRAINER: 'env-trainer' },
      }),
    ).toEqual({ command: 'env-trainer', args: [] });
    expect(resolveTrainerCommand({ ...base, setting: 'my-trainer --x', env: {} })).toEqual({
      command: 'my-trainer',
      args: ['--x'],
    });
    expect(resolveTrainerCommand({ ...base, setting: null, env: { PYTHONPATH: '/extra' } })).toEqual({
      command: '/venv/bin/python',
      args: ['-m', 'lora_trainer'],
      env: { PYTHONPATH: '/app/resources/trainer:/extra' },
    });
  });

  it('runs the built-in trainer under torch.distributed.run on several GPUs', () => {
    const cmd = resolveTrainerCommand({
      setting: null,
      env: {},
      python: null,
      trainerDir: '/t',
      gpuIndices: [0, 1, 2],
      platform: 'linux',
    });
    expect(cmd).toEqual({
      command: 'python3',
      args: ['-m', 'torch.distributed.run', '--standalone', '--nproc_per_node=3', '-m', 'lora_trainer'],
      env: { PYTHONPATH: '/t' },
    });
  });
});
