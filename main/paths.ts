import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The app's source or install root: the nearest folder above this module holding db/migrations. */
export function findAppRoot(start: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'db', 'migrations', 'meta', '_journal.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the app root (db/migrations) above ${start}`);
    dir = parent;
  }
}

/** Where migrations live when running from the source tree or the built `out/` folder. */
export function defaultMigrationsDir(): string {
  return join(findAppRoot(), 'db', 'migrations');
}

/** The built renderer served by serve mode. */
export function defaultRendererDir(): string {
  return join(findAppRoot(), 'out', 'renderer');
}

/** `--data-dir`, else `LORA_STUDIO_HOME`, else `~/.lora-studio` (serve mode and CLI). */
export function resolveDataDir(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag ?? env.LORA_STUDIO_HOME ?? join(homedir(), '.lora-studio');
  return resolve(chosen);
}

/** The database file inside a data folder. */
export function databaseFile(dataDir: string): string {
  return join(dataDir, 'lora-studio.db');
}
