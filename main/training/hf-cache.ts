/**
 * Models already downloaded into the Hugging Face hub cache, so a person can pick one without
 * finding its snapshot folder. Layout: `<hub>/models--<org>--<name>/{refs/main, snapshots/<rev>/}`.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ModelInfo } from '../../preload/contract';
import { inspectModel } from './model-inspector';

/** The hub cache folder as huggingface_hub resolves it: HF_HUB_CACHE, then HF_HOME/hub, then ~/.cache. */
export function hfHubCacheDir(env: NodeJS.ProcessEnv, home: string = homedir()): string {
  const explicit = env.HF_HUB_CACHE?.trim() || env.HUGGINGFACE_HUB_CACHE?.trim();
  if (explicit) return explicit;
  const hfHome = env.HF_HOME?.trim();
  if (hfHome) return join(hfHome, 'hub');
  const xdg = env.XDG_CACHE_HOME?.trim();
  return join(xdg || join(home, '.cache'), 'huggingface', 'hub');
}

/** Every cached model with a config.json, sorted by name; [] when there is no cache. */
export async function scanHfCache(env: NodeJS.ProcessEnv, home?: string): Promise<ModelInfo[]> {
  const hub = hfHubCacheDir(env, home);
  let entries: string[];
  try {
    entries = await readdir(hub);
  } catch {
    return [];
  }
  const found = await Promise.all(
    entries
      .filter((e) => e.startsWith('models--'))
      .map(async (entry) => {
        const snapshot = await pickSnapshot(join(hub, entry));
        if (snapshot === null) return null;
        try {
          return await inspectModel(snapshot, { source: 'hf-cache', name: repoName(entry) });
        } catch {
          return null; // a half-downloaded or broken snapshot is not offered
        }
      }),
  );
  return found.filter((m): m is ModelInfo => m !== null).sort((a, b) => a.name.localeCompare(b.name));
}

/** `models--meta-llama--Llama-3.1-8B` → `meta-llama/Llama-3.1-8B`. */
export function repoName(entry: string): string {
  const rest = entry.slice('models--'.length);
  const cut = rest.indexOf('--');
  return cut < 0 ? rest : `${rest.slice(0, cut)}/${rest.slice(cut + 2)}`;
}

/** The snapshot refs/main points to when it has a config.json, else the newest snapshot that has one. */
async function pickSnapshot(repoDir: string): Promise<string | null> {
  const snapshots = join(repoDir, 'snapshots');
  const main = await readFile(join(repoDir, 'refs', 'main'), 'utf8').then(
    (s) => s.trim(),
    () => null,
  );
  if (main && (await hasConfig(join(snapshots, main)))) return join(snapshots, main);
  let revs: string[];
  try {
    revs = await readdir(snapshots);
  } catch {
    return null;
  }
  const candidates = await Promise.all(
    revs.map(async (rev) => {
      const dir = join(snapshots, rev);
      const config = await stat(join(dir, 'config.json')).catch(() => null);
      return config?.isFile() ? { dir, mtime: config.mtimeMs } : null;
    }),
  );
  const newest = candidates
    .filter((c): c is { dir: string; mtime: number } => c !== null)
    .sort((a, b) => b.mtime - a.mtime)[0];
  return newest?.dir ?? null;
}

async function hasConfig(dir: string): Promise<boolean> {
  return stat(join(dir, 'config.json')).then(
    (s) => s.isFile(),
    () => false,
  );
}
