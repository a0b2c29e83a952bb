import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { findBrowser } from '../helpers/find-browser';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(ROOT, 'out/main/cli.js');
const RENDERER_INDEX = join(ROOT, 'out/renderer/index.html');
/** Where the fake `nvidia-smi` lives; on PATH only when a test asks for GPUs. */
export const FIXTURE_BIN = join(ROOT, 'test/fixtures/bin');

const START_TIMEOUT_MS = 20_000;
const STOP_GRACE_MS = 5_000;

/** What `lora-studio serve --json` prints once it listens. */
export interface ServeInfo {
  readonly url: string;
  readonly port: number;
  readonly token: string;
}

/** A running `lora-studio serve` on a data folder. */
export interface ServeProcess extends ServeInfo {
  readonly dataDir: string;
  /** `http://127.0.0.1:PORT`, the origin the renderer is served from. */
  readonly origin: string;
  /** Everything the server wrote on stderr so far (for failure messages). */
  stderr(): string;
  /** SIGTERM, then SIGKILL after a grace period; resolves with the exit code (null if killed). */
  stop(): Promise<number | null>;
}

/** Options for `startServe`. */
export interface StartServeOptions {
  /** Reuse a data folder (restart tests); default: the caller's fresh one from `makeDataDir`. */
  readonly dataDir: string;
  /** Put the fake `nvidia-smi` first on PATH; otherwise no `test/fixtures/bin` on PATH at all. */
  readonly fakeGpus?: boolean;
  /** A fixed port (default 0: any free one). */
  readonly port?: number;
  /** `serve --new-token`: replace the token kept in the data folder (a plain restart keeps it). */
  readonly newToken?: boolean;
  /** Extra environment for serve (e.g. `HF_HOME`). */
  readonly env?: Readonly<Record<string, string>>;
}

/** A fresh, empty data folder for one test. */
export function makeDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'lora-studio-e2e-'));
}

/** Removes a data folder made by `makeDataDir`. */
export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** PATH without the fixtures' bin folder, and with it first when `fakeGpus`. */
export function testPath(fakeGpus: boolean): string {
  // A test that asks for GPUs must not pass quietly on a machine without any because the fixture went missing.
  if (fakeGpus && !existsSync(join(FIXTURE_BIN, 'nvidia-smi')))
    throw new Error(`the fake nvidia-smi is missing: ${join(FIXTURE_BIN, 'nvidia-smi')} must be committed`);
  const entries = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => entry !== '' && resolve(entry) !== FIXTURE_BIN);
  return (fakeGpus ? [FIXTURE_BIN, ...entries] : entries).join(delimiter);
}

/** Spawns the real serve mode (`node out/main/cli.js serve --json`) and waits for its one JSON line. */
export async function startServe(options: StartServeOptions): Promise<ServeProcess> {
  for (const built of [CLI, RENDERER_INDEX]) {
    if (!existsSync(built))
      throw new Error(`${built} is missing: run \`npx electron-vite build\` before the e2e tests`);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...options.env,
    PATH: testPath(options.fakeGpus ?? false),
  };
  delete env.LORA_STUDIO_HOME;
  delete env.LORA_STUDIO_TRAINER;

  const child = spawn(
    process.execPath,
    [
      CLI,
      'serve',
      '--data-dir',
      options.dataDir,
      '--port',
      String(options.port ?? 0),
      '--json',
      ...(options.newToken ? ['--new-token'] : []),
    ],
    { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr += chunk;
  });

  const info = await firstJsonLine(child, () => stderr);
  const exited = new Promise<number | null>((resolveExit) => {
    if (child.exitCode !== null || child.signalCode !== null) resolveExit(child.exitCode);
    else child.once('exit', (code) => resolveExit(code));
  });
  return {
    ...info,
    dataDir: options.dataDir,
    origin: new URL(info.url).origin,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function firstJsonLine(child: ChildProcess, stderr: () => string): Promise<ServeInfo> {
  return new Promise((resolveInfo, reject) => {
    const stdout = child.stdout!;
    const lines = createInterface({ input: stdout });
    const settle = () => {
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      lines.close();
      stdout.resume(); // keep draining: serve may log more, and a full pipe would block it
    };
    const fail = (why: string) => {
      settle();
      child.kill('SIGKILL');
      reject(new Error(`lora-studio serve ${why}\n--- stderr ---\n${stderr()}`));
    };
    const onExit = (code: number | null, signal: string | null) =>
      fail(`exited before listening (code ${code}, signal ${signal})`);
    const onError = (error: Error) => fail(`could not be spawned: ${error.message}`);
    const timer = setTimeout(
      () => fail(`printed no JSON line within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    child.once('exit', onExit);
    child.once('error', onError);
    lines.once('line', (line) => {
      let info: Partial<ServeInfo>;
      try {
        info = JSON.parse(line) as Partial<ServeInfo>;
      } catch {
        fail(`printed a first line that is not JSON: ${line}`);
        return;
      }
      if (typeof info.url !== 'string' || typeof info.port !== 'number' || typeof info.token !== 'string') {
        fail(`printed JSON without url, port and token: ${line}`);
        return;
      }
      settle();
      resolveInfo({ url: info.url, port: info.port, token: info.token });
    });
  });
}

/** Chromium, Chrome or Edge (`findBrowser`: CHROME_PATH or the usual paths), headless, offline. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findBrowser(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Opens the app at the URL serve printed (token → cookie → redirect) and waits for the shell. */
export async function openApp(page: Page, server: ServeInfo, hash = ''): Promise<void> {
  await page.goto(`${server.url}${hash}`);
  await page.getByTestId('app-shell').waitFor();
}

/** Runs `lora-studio <args> --data-dir DIR --json` to completion and returns its one JSON value. */
export async function runCli(
  dataDir: string,
  args: ReadonlyArray<string>,
  options: { readonly fakeGpus?: boolean } = {},
): Promise<unknown> {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: testPath(options.fakeGpus ?? false) };
  delete env.LORA_STUDIO_HOME;
  const child = spawn(process.execPath, [CLI, ...args, '--data-dir', dataDir, '--json'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const code = await new Promise<number | null>((resolveExit, reject) => {
    child.once('error', reject);
    child.once('exit', resolveExit);
  });
  if (code !== 0) throw new Error(`lora-studio ${args.join(' ')} exited ${code}\n${stdout}${stderr}`);
  return JSON.parse(stdout) as unknown;
}
