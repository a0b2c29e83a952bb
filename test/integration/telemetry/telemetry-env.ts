import { chmodSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

/** The folder holding the fake nvidia-smi. */
export const FIXTURE_BIN = resolve(import.meta.dirname, '../../fixtures/bin');

/** This process's env with the fake nvidia-smi first on PATH, in the given mode. */
export function envWithFakeSmi(mode = 'ok', extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${FIXTURE_BIN}${delimiter}${process.env.PATH ?? ''}`,
    FAKE_NVIDIA_SMI_MODE: mode,
    ...extra,
  };
}

/** Whether a process with this pid still exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Write an executable shell script (a fake interpreter) into `dir`; returns its path. */
export function writeScript(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}
