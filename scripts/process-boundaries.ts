/**
 * Process boundaries, checked by the build (electron.vite.config.ts) and by a unit test:
 * the renderer imports only itself and the contract (preload/contract*.ts); only main/electron/ (and the preload
 * entry) import electron; the contract imports nothing from Node or Electron; the shells (main/cli*,
 * main/server, main/electron) and the API handlers (main/api) import nothing from db/; and the rooms
 * behind the door (main/* services) import nothing from main/api/ — only the core and the shells
 * know the handlers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export interface BoundaryViolation {
  readonly file: string;
  readonly specifier: string;
  readonly rule: string;
}

const IMPORT_RE =
  /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm;
const NODE_BUILTINS = new Set([
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'url',
  'util',
  'stream',
  'worker_threads',
  'events',
  'zlib',
  'buffer',
  'process',
  'readline',
  'tls',
  'dns',
  'module',
  'vm',
  'v8',
  'cluster',
  'assert',
]);
const SERVER_ONLY_PACKAGES = new Set([
  'electron',
  'better-sqlite3',
  'drizzle-orm',
  'ws',
  'systeminformation',
]);

/** The shells and the API handlers: they go through `core.api`, never the database. */
const SHELL_PREFIXES = ['main/cli.ts', 'main/cli/', 'main/server/', 'main/electron/', 'main/api/'];

/** Who may import the API handlers (main/api/): the core that composes them, themselves, and the shells. */
const MAY_IMPORT_API = ['main/core.ts', ...SHELL_PREFIXES];

/** Whether an import resolves into `dir`. */
function importsFrom(file: string, spec: string, dir: string): boolean {
  if (!spec.startsWith('.')) return false;
  const target = resolve(file, '..', spec);
  return target === dir || target.startsWith(dir + sep);
}

/** Whether an import reaches the database: db/ by a relative path, or the SQL packages. */
function importsDatabase(file: string, spec: string, dbDir: string): boolean {
  if (spec === 'better-sqlite3' || spec.split('/')[0] === 'drizzle-orm') return true;
  if (!spec.startsWith('.')) return false;
  const target = resolve(file, '..', spec);
  return target === dbDir || target.startsWith(dbDir + sep);
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'out') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(IMPORT_RE)].map((m) => m[1] ?? m[2] ?? m[3] ?? m[4] ?? '').filter(Boolean);
}

function isNodeBuiltin(spec: string): boolean {
  return spec.startsWith('node:') || NODE_BUILTINS.has(spec.split('/')[0] ?? '');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every import in the tree that crosses a process boundary. */
export function findBoundaryViolations(root: string): BoundaryViolation[] {
  const violations: BoundaryViolation[] = [];
  const rel = (p: string) => relative(root, p).split(sep).join('/');
  const rendererDir = resolve(root, 'renderer');
  const contractDir = resolve(root, 'preload');
  // preload/contract.ts and the parts it re-exports (preload/contract-*.ts).
  const CONTRACT_FILE = new RegExp(`^${escapeRegExp(contractDir + sep)}contract(-[a-z]+)?\\.ts$`);

  for (const file of sourceFiles(rendererDir)) {
    for (const spec of importsOf(file)) {
      if (isNodeBuiltin(spec) || SERVER_ONLY_PACKAGES.has(spec.split('/')[0] ?? '')) {
        violations.push({
          file: rel(file),
          specifier: spec,
          rule: 'the renderer cannot import Node, electron or the database',
        });
      } else if (spec.startsWith('.')) {
        const target = resolve(file, '..', spec);
        const inRenderer = target.startsWith(rendererDir + sep);
        const isContract = CONTRACT_FILE.test(target.endsWith('.ts') ? target : `${target}.ts`);
        if (!inRenderer && !isContract) {
          violations.push({
            file: rel(file),
            specifier: spec,
            rule: 'the renderer imports only renderer/ and the contract (preload/contract*.ts)',
          });
        }
      }
    }
  }

  for (const top of ['main', 'preload', 'db']) {
    for (const file of sourceFiles(resolve(root, top))) {
      const r = rel(file);
      const mayImportElectron = r.startsWith('main/electron/') || r === 'preload/index.ts';
      const isShellOrHandler = SHELL_PREFIXES.some((p) => r === p || r.startsWith(p));
      const mayImportApi = MAY_IMPORT_API.some((p) => r === p || r.startsWith(p));
      for (const spec of importsOf(file)) {
        if (r.startsWith('main/') && !mayImportApi && importsFrom(file, spec, resolve(root, 'main', 'api'))) {
          violations.push({
            file: r,
            specifier: spec,
            rule: 'services behind the core import nothing from main/api/ (the core wires the handlers)',
          });
        }
        if (isShellOrHandler && importsDatabase(file, spec, resolve(root, 'db'))) {
          violations.push({
            file: r,
            specifier: spec,
            rule: 'shells (CLI, serve, Electron) and API handlers reach the data only through the core API',
          });
        }
        if (spec === 'electron' && !mayImportElectron) {
          violations.push({ file: r, specifier: spec, rule: 'only main/electron/ imports electron' });
        }
        if (
          /^preload\/contract(-[a-z]+)?\.ts$/.test(r) &&
          (isNodeBuiltin(spec) || SERVER_ONLY_PACKAGES.has(spec))
        ) {
          violations.push({
            file: r,
            specifier: spec,
            rule: 'the contract imports nothing from Node or Electron',
          });
        }
      }
    }
  }
  return violations;
}
