/**
 * "Set up Python environment": a venv in the data folder with the trainer's requirements, for a
 * workstation with internet. pip's output is streamed as progress; the new interpreter becomes the
 * `python.path` setting only when the install succeeded. Cancel kills pip and removes the venv.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors';
import type { TaskReporter } from '../tasks/task-registry';

export interface PythonEnvSetupOptions {
  readonly dataDir: string;
  /** The interpreter that creates the venv (python3 from PATH unless given). */
  readonly basePython: string;
  readonly requirementsFile: string;
  readonly env: NodeJS.ProcessEnv;
  readonly reporter: TaskReporter;
}

/** The venv folder and its interpreter for a data folder. */
export function pythonEnvPaths(dataDir: string, platform: NodeJS.Platform = process.platform) {
  const dir = join(dataDir, 'python-env');
  const python = platform === 'win32' ? join(dir, 'Scripts', 'python.exe') : join(dir, 'bin', 'python');
  return { dir, python } as const;
}

function runStreaming(
  command: string,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
  onLine: (line: string) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(command, [...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      reject(error);
      return;
    }
    const tail: string[] = [];
    let partial = '';
    const take = (chunk: Buffer) => {
      const lines = (partial + chunk.toString('utf8')).split(/\r?\n|\r/);
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        tail.push(line);
        if (tail.length > 20) tail.shift();
        onLine(line);
      }
    };
    child.stdout?.on('data', take);
    child.stderr?.on('data', take);
    const abort = () => child.kill('SIGTERM');
    signal.addEventListener('abort', abort, { once: true });
    child.on('error', (error) => {
      signal.removeEventListener('abort', abort);
      reject(new AppError('UNAVAILABLE', `Cannot run ${command}: ${error.message}`));
    });
    child.on('close', (code, sig) => {
      signal.removeEventListener('abort', abort);
      if (code === 0) resolve();
      else if (signal.aborted) reject(new AppError('UNAVAILABLE', 'Cancelled.'));
      else
        reject(
          new AppError(
            'INTERNAL',
            `${command} ${args.join(' ')} failed (${sig ?? `exit ${code}`}):\n${tail.join('\n')}`,
          ),
        );
    });
  });
}

/** Create the venv and install the requirements; returns the venv's interpreter. */
export async function setupPythonEnv(options: PythonEnvSetupOptions): Promise<string> {
  const { dir, python } = pythonEnvPaths(options.dataDir);
  const { reporter } = options;
  if (!existsSync(options.requirementsFile)) {
    throw new AppError(
      'NOT_FOUND',
      `The trainer's requirements file is missing: ${options.requirementsFile}`,
    );
  }
  let lines = 0;
  const onLine = (line: string) => {
    lines += 1;
    reporter.progress(lines, null, line.slice(0, 300));
  };
  try {
    reporter.progress(0, null, `Creating ${dir}…`);
    await runStreaming(options.basePython, ['-m', 'venv', dir], options.env, reporter.signal, onLine);
    const pip = [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-input',
      '--progress-bar',
      'off',
    ];
    await runStreaming(
      python,
      [...pip, '-r', options.requirementsFile],
      options.env,
      reporter.signal,
      onLine,
    );
    return python;
  } catch (error) {
    // Nothing half-done stays behind: a venv without its packages would fail later, and worse.
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
