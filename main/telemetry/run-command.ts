import { spawn as nodeSpawn } from 'node:child_process';

/** How a short-lived command ended: it exited, could not start, or ran past its time limit (and was killed). */
export type CommandResult =
  | {
      readonly kind: 'exited';
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      readonly stdout: string;
      readonly stderr: string;
    }
  | { readonly kind: 'spawn-error'; readonly errorCode: string | null; readonly message: string }
  | { readonly kind: 'timeout'; readonly stdout: string; readonly stderr: string };

/** Options of runCommand. */
export interface RunCommandOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly timeoutMs?: number;
  /** Output kept per stream, in characters. */
  readonly maxOutputChars?: number;
  readonly spawn?: typeof nodeSpawn;
}

/** Run a command without a shell and collect its output; never throws, always settles once, never leaves it running. */
export function runCommand(
  file: string,
  args: readonly string[],
  options: RunCommandOptions = {},
): Promise<CommandResult> {
  const maxChars = options.maxOutputChars ?? 1_000_000;
  return new Promise<CommandResult>((resolve) => {
    let settled = false;
    let timedOut = false;
    let stdout = '';
    let stderr = '';
    let timer: NodeJS.Timeout | null = null;
    const settle = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      resolve(result);
    };
    let child: ReturnType<typeof nodeSpawn>;
    try {
      child = (options.spawn ?? nodeSpawn)(file, [...args], {
        env: options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      settle({
        kind: 'spawn-error',
        errorCode: null,
        message: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    child.stdout?.setEncoding('utf8');
    child.stderr?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (stdout.length < maxChars) stdout += chunk.slice(0, maxChars - stdout.length);
    });
    child.stderr?.on('data', (chunk: string) => {
      if (stderr.length < maxChars) stderr += chunk.slice(0, maxChars - stderr.length);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (child.pid === undefined)
        settle({ kind: 'spawn-error', errorCode: error.code ?? null, message: error.message });
    });
    // After a timeout, 'exit' is enough: a grandchild may hold the pipes open, and 'close' would wait for it.
    child.on('exit', () => {
      if (timedOut) settle({ kind: 'timeout', stdout, stderr });
    });
    child.on('close', (code, signal) => {
      settle(
        timedOut ? { kind: 'timeout', stdout, stderr } : { kind: 'exited', code, signal, stdout, stderr },
      );
    });
    if (options.timeoutMs !== undefined) {
      timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, options.timeoutMs);
    }
  });
}
