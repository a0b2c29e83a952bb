/**
 * Start-up benchmark: how long `createCore` takes on a fresh and on an existing data folder, and
 * how long serve mode takes from spawn to the first contentful paint in Chromium.
 * Figures are reported, never asserted; the peer is a bare `better-sqlite3` open in the same run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { chromium } from 'playwright-core';
import { createCore } from '../../main/core';
import { findBrowser } from '../helpers/find-browser';
import { makeTempDir } from '../helpers/temp-dir';

const ROOT = resolve(import.meta.dirname, '..', '..');

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function coreReadyMs(runs: number): Promise<{ fresh: number; existing: number; bareOpen: number }> {
  const fresh: number[] = [];
  const existing: number[] = [];
  const bare: number[] = [];
  for (let i = 0; i < runs; i++) {
    const tmp = makeTempDir();
    let t = performance.now();
    const core = await createCore({ dataDir: tmp.dir, shell: 'test' });
    fresh.push(performance.now() - t);
    await core.close();
    t = performance.now();
    const again = await createCore({ dataDir: tmp.dir, shell: 'test' });
    existing.push(performance.now() - t);
    await again.close();
    t = performance.now();
    const db = new Database(join(tmp.dir, 'lora-studio.db'));
    db.pragma('journal_mode = WAL');
    db.prepare('SELECT 1').get();
    bare.push(performance.now() - t);
    db.close();
    tmp.cleanup();
  }
  return { fresh: median(fresh), existing: median(existing), bareOpen: median(bare) };
}

async function servePaintMs(): Promise<{
  serveReadyMs: number;
  firstPaintMs: number;
  shellVisibleMs: number;
}> {
  const tmp = makeTempDir();
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [join(ROOT, 'out/main/cli.js'), 'serve', '--data-dir', tmp.dir, '--port', '0', '--json'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const serveReadyMs = performance.now() - started;
  const { url } = JSON.parse(line.toString()) as { url: string };
  const browser = await chromium.launch({
    executablePath: findBrowser(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    const navStart = performance.now();
    await page.goto(url);
    await page.waitForSelector('[data-testid="app-shell"]');
    const shellVisibleMs = performance.now() - navStart;
    const firstPaintMs = await page.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    );
    return { serveReadyMs, firstPaintMs, shellVisibleMs };
  } finally {
    await browser.close();
    child.kill('SIGTERM');
    await once(child, 'exit');
    tmp.cleanup();
  }
}

/** Run the start-up benchmark and return its figures. */
export async function benchStartup(): Promise<Record<string, number>> {
  const core = await coreReadyMs(10);
  const paint = await servePaintMs();
  return {
    coreReadyFreshMs: Math.round(core.fresh * 10) / 10,
    coreReadyExistingMs: Math.round(core.existing * 10) / 10,
    bareSqliteOpenMs: Math.round(core.bareOpen * 100) / 100,
    serveReadyMs: Math.round(paint.serveReadyMs),
    firstContentfulPaintMs: Math.round(paint.firstPaintMs),
    shellVisibleMs: Math.round(paint.shellVisibleMs),
  };
}
