import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { findAppRoot } from '../paths';

/** Where a worker's code is, and whether it is TypeScript source that needs tsx. */
export interface WorkerEntry {
  readonly file: string;
  readonly fromSource: boolean;
}

/**
 * The file a worker runs: its `.ts` source when this module itself runs from source (tsx, vitest),
 * else the bundle's `out/main/<name>.js` (each worker is its own input in electron.vite.config.ts).
 */
export function workerEntry(
  name: string,
  sourcePath: string,
  moduleUrl: string = import.meta.url,
): WorkerEntry {
  if (moduleUrl.endsWith('.ts')) return { file: join(findAppRoot(), sourcePath), fromSource: true };
  // Built: this code sits in out/main/ or out/main/chunks/ (also inside a packaged app.asar, where
  // there is no source tree to find), and the worker bundle in out/main/.
  const here = dirname(fileURLToPath(moduleUrl));
  const candidates = [join(here, `${name}.js`), join(here, '..', `${name}.js`)];
  return { file: candidates.find((f) => existsSync(f)) ?? (candidates[0] as string), fromSource: false };
}

/**
 * Start a worker by name. From source, the worker registers tsx itself before importing its
 * entry: on Node 20 `execArgv: ['--import', 'tsx']` does not reach a worker's own loader.
 */
export function startWorker(name: string, sourcePath: string, options: WorkerOptions = {}): Worker {
  const entry = workerEntry(name, sourcePath);
  if (!entry.fromSource) return new Worker(entry.file, options);
  const tsxApi = pathToFileURL(tsxEsmApi()).href;
  const target = pathToFileURL(entry.file).href;
  const code =
    `import(${JSON.stringify(tsxApi)}).then((api) => { (api.register ?? api.default.register)(); ` +
    `return import(${JSON.stringify(target)}); });`;
  return new Worker(code, { ...options, eval: true });
}

/** tsx's ESM register API as a file (its CommonJS twin cannot load the ESM half from a worker). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import?: { default?: string } } | string>;
  };
  const entry = pkg.exports['./esm/api'];
  const file = typeof entry === 'object' ? entry.import?.default : undefined;
  if (!file) throw new Error('cannot find tsx/esm/api: is tsx installed?');
  return join(dirname(manifest), file);
}
