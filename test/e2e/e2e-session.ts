/**
 * The one e2e set-up: a browser per file, and per test a fresh data folder (prepared before serve
 * starts), `lora-studio serve` on it, a browser context with a page, and a scratch folder for input
 * files; a failed test leaves a screenshot of each open page in the temp folder; everything is
 * stopped and removed afterwards.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, type TestContext } from 'vitest';
import { launchChromium, makeDataDir, removeDataDir, type ServeProcess, startServe } from './serve-harness';

/** How each test of a file is set up. */
export interface E2eOptions {
  /** Put the fake `nvidia-smi` first on serve's PATH. */
  readonly fakeGpus?: boolean;
  /** The page's viewport; default 1280×800. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** Runs on the fresh data folder before serve starts (settings through the CLI, fixture files). */
  readonly prepare?: (dataDir: string) => Promise<void> | void;
  /** Extra environment for serve, e.g. `HF_HOME` inside the data folder. */
  readonly serveEnv?: (dataDir: string) => Readonly<Record<string, string>>;
  /**
   * Start serve before each test (default). False when each test prepares its data folder its own
   * way first and then calls `startServe()`.
   */
  readonly startServe?: boolean;
}

/** What a test gets; each accessor throws when called before its part is set up. */
export interface E2eSession {
  readonly browser: () => Browser;
  readonly context: () => BrowserContext;
  readonly page: () => Page;
  /** The most recently started serve. */
  readonly server: () => ServeProcess;
  readonly dataDir: () => string;
  /** A temp folder (not the data folder) for the files a test generates. */
  readonly inputDir: () => string;
  /** Starts (another) serve on this test's data folder, e.g. a restart on `port`; stopped after the test. */
  readonly startServe: (options?: {
    readonly port?: number;
    readonly newToken?: boolean;
  }) => Promise<ServeProcess>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the e2e session has no ${what} yet`);
  return value;
}

/** Where a failed test's screenshot goes: the temp folder, named after the test. */
function failureShotPath(context: TestContext, index: number): string {
  const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  return join(tmpdir(), `e2e-failure-${name}-${Date.now()}${index === 0 ? '' : `-${index}`}.png`);
}

/** Registers the hooks for the calling `describe` (or file) and returns the session's accessors. */
export function useE2eSession(options: E2eOptions = {}): E2eSession {
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let dataDir: string | undefined;
  let inputDir: string | undefined;
  let servers: ServeProcess[] = [];

  const start = async (
    extra: { readonly port?: number; readonly newToken?: boolean } = {},
  ): Promise<ServeProcess> => {
    const dir = required(dataDir, 'data folder');
    const server = await startServe({
      dataDir: dir,
      fakeGpus: options.fakeGpus ?? false,
      env: options.serveEnv?.(dir),
      ...(extra.port === undefined ? {} : { port: extra.port }),
      newToken: extra.newToken ?? false,
    });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    dataDir = await makeDataDir();
    inputDir = await makeDataDir();
    await options.prepare?.(dataDir);
    if (options.startServe ?? true) await start();
    context = await required(browser, 'browser').newContext({
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
    page = await context.newPage();
  });

  afterEach(async (testContext) => {
    try {
      if (testContext.task.result?.state === 'fail' && context !== undefined) {
        const shots: string[] = [];
        for (const [index, open] of context.pages().entries()) {
          const path = failureShotPath(testContext, index);
          await open.screenshot({ path, fullPage: true }).then(
            () => shots.push(path),
            () => undefined, // a page that crashed has nothing to show
          );
        }
        if (shots.length > 0) console.error(`screenshot of the failed test: ${shots.join(', ')}`);
        for (const server of servers) console.error(`serve stderr:\n${server.stderr()}`);
      }
    } finally {
      await context?.close();
      for (const server of servers) await server.stop();
      if (dataDir !== undefined) await removeDataDir(dataDir);
      if (inputDir !== undefined) await removeDataDir(inputDir);
      servers = [];
      context = page = dataDir = inputDir = undefined;
    }
  });

  return {
    browser: () => required(browser, 'browser'),
    context: () => required(context, 'browser context'),
    page: () => required(page, 'page'),
    server: () => required(servers.at(-1), 'serve (startServe: false? call startServe() first)'),
    dataDir: () => required(dataDir, 'data folder'),
    inputDir: () => required(inputDir, 'input folder'),
    startServe: start,
  };
}
