import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { DoctorReport } from '../../preload/contract';
import { runCommand } from './run-command';

/** Which interpreter the app will use, and where that choice came from. */
export type ResolvedPython = {
  readonly path: string | null;
  readonly source: DoctorReport['python']['source'];
};

/** What resolvePython looks at. */
export interface ResolvePythonOptions {
  /** Environment: `LORA_STUDIO_PYTHON` and `PATH` are read from it. */
  readonly env?: NodeJS.ProcessEnv;
  /** The `python.path` setting. */
  readonly setting?: string | null;
  readonly platform?: NodeJS.Platform;
}

/** The oldest Python the trainer (transformers 5) runs on. */
export const MIN_PYTHON: readonly [number, number] = [3, 10];

/** Pick the interpreter: `LORA_STUDIO_PYTHON`, then the `python.path` setting, then `python3` / `python` on PATH. */
export async function resolvePython(options: ResolvePythonOptions = {}): Promise<ResolvedPython> {
  const env = options.env ?? process.env;
  const fromEnv = env.LORA_STUDIO_PYTHON?.trim();
  if (fromEnv) return { path: fromEnv, source: 'env' };
  const fromSetting = options.setting?.trim();
  if (fromSetting) return { path: fromSetting, source: 'setting' };
  for (const name of ['python3', 'python']) {
    const found = await findOnPath(name, env, options.platform ?? process.platform);
    if (found) return { path: found, source: 'path' };
  }
  return { path: null, source: 'none' };
}

/** The first executable file called `name` in the env's PATH (with PATHEXT on Windows), or null. */
export async function findOnPath(
  name: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Promise<string | null> {
  const dirs = (env.PATH ?? env.Path ?? '').split(delimiter).filter((d) => d !== '');
  const exts = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      try {
        await access(candidate, constants.X_OK);
        if ((await stat(candidate)).isFile()) return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return null;
}

/** Run `<python> --version` (no shell, with a time limit): the version, or a sentence saying why there is none. */
export async function probePythonVersion(
  pythonPath: string,
  options: { readonly env?: NodeJS.ProcessEnv; readonly timeoutMs?: number } = {},
): Promise<{ version: string | null; problem: string | null }> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const result = await runCommand(pythonPath, ['--version'], { env: options.env, timeoutMs });
  switch (result.kind) {
    case 'spawn-error':
      return {
        version: null,
        problem:
          result.errorCode === 'ENOENT'
            ? `Python interpreter ${pythonPath} was not found.`
            : `Python interpreter ${pythonPath} could not be run: ${result.message}`,
      };
    case 'timeout':
      return {
        version: null,
        problem: `${pythonPath} --version did not answer within ${timeoutMs / 1000} s.`,
      };
    case 'exited': {
      // Python 2 printed its version on stderr; 3.4+ print it on stdout.
      const match = /Python\s+(\d+\.\d+[^\s]*)/.exec(`${result.stdout}\n${result.stderr}`);
      if (result.code !== 0 || !match?.[1]) {
        const said = `${result.stderr} ${result.stdout}`.trim().split(/\r?\n/).slice(-2).join(' ');
        return {
          version: null,
          problem: `${pythonPath} --version failed (exit code ${result.code ?? result.signal})${said ? `: ${said}` : '.'}`,
        };
      }
      const version = match[1];
      const [major = 0, minor = 0] = version.split('.').map((n) => Number.parseInt(n, 10));
      const [minMajor, minMinor] = MIN_PYTHON;
      const tooOld = major < minMajor || (major === minMajor && minor < minMinor);
      return {
        version,
        problem: tooOld
          ? `Python ${version} at ${pythonPath} is too old: the trainer needs Python ${minMajor}.${minMinor} or newer.`
          : null,
      };
    }
  }
}
