import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Run the real CLI (from source, through tsx) as a person would in a terminal. */
export function runCli(
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'main', 'cli.ts'), ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
}

/** A CLI process still running: its output so far, its end, and a way to signal it. */
export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when it exits, with everything it printed. */
  readonly exited: Promise<CliResult>;
  /** Resolves with the first stdout line (serve --json prints its URL there). */
  firstLine(): Promise<string>;
}

/** Start the real CLI (through tsx) and return at once: for serve, `--wait` and Ctrl-C tests. */
export function startCli(args: ReadonlyArray<string>, env: NodeJS.ProcessEnv = process.env): RunningCli {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(ROOT, 'main', 'cli.ts'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const lineWaiters: Array<(line: string) => void> = [];
  child.stdout?.on('data', (d) => {
    stdout += d;
    const newline = stdout.indexOf('\n');
    if (newline >= 0) for (const w of lineWaiters.splice(0)) w(stdout.slice(0, newline));
  });
  child.stderr?.on('data', (d) => {
    stderr += d;
  });
  const exited = new Promise<CliResult>((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code, stdout, stderr }));
  });
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    firstLine: () =>
      new Promise((resolveLine, reject) => {
        const newline = stdout.indexOf('\n');
        if (newline >= 0) return resolveLine(stdout.slice(0, newline));
        lineWaiters.push(resolveLine);
        void exited.then((r) => reject(new Error(`the CLI exited (${r.code}) first:\n${r.stderr}`)));
      }),
  };
}
