/**
 * Registers a finished run's adapter in the model library: the folder the `done` event names
 * (relative to the run folder, never outside it), with the size and sha256 of its weights file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { Clock } from '../../db/ids';
import type { Db } from '../../db/open';
import {
  type ModelArtifactRow,
  ModelArtifactsRepository,
} from '../../db/repositories/model-artifacts-repository';
import type { TrainingJobRow } from '../../db/repositories/training-jobs-repository';

/** Weight files a PEFT adapter folder may hold, preferred first. */
export const ADAPTER_WEIGHT_FILES = ['adapter_model.safetensors', 'adapter_model.bin'] as const;

/** sha256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Resolve a path the trainer reported, refusing anything that leaves the run folder. */
export function insideRunDir(runDir: string, reported: string): string | null {
  const target = resolve(runDir, reported);
  const rel = relative(runDir, target);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? null : target;
}

export interface AdapterRegistration {
  readonly artifact: ModelArtifactRow | null;
  /** Why the adapter could not be registered; null on success. */
  readonly problem: string | null;
}

/** Register the adapter of a completed job (once; a second call returns the existing row). */
export async function registerAdapter(
  deps: { readonly db: Db; readonly dataDir: string; readonly now: Clock },
  job: TrainingJobRow,
  adapterPath: string | null,
  step: number,
): Promise<AdapterRegistration> {
  const repo = new ModelArtifactsRepository(deps.db, deps.now);
  const existing = repo.byJob(job.id).find((a) => a.kind === 'adapter');
  if (existing) return { artifact: existing, problem: null };
  const runDir = join(deps.dataDir, job.runDir);
  const dir = insideRunDir(runDir, adapterPath ?? 'adapter');
  if (!dir) return { artifact: null, problem: `adapter path "${adapterPath}" is outside the run folder` };
  for (const name of ADAPTER_WEIGHT_FILES) {
    const file = join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) continue;
    let adapterConfig: unknown = null;
    try {
      adapterConfig = JSON.parse(await readFile(join(dir, 'adapter_config.json'), 'utf8'));
    } catch {
      adapterConfig = null;
    }
    const artifact = repo.create({
      jobId: job.id,
      kind: 'adapter',
      name: job.name,
      path: relative(deps.dataDir, dir),
      sizeBytes: info.size,
      sha256: await sha256File(file),
      baseModelPath: job.baseModelPath,
      metaJson: JSON.stringify({ weightsFile: name, step, adapterConfig }),
    });
    return { artifact, problem: null };
  }
  const expected = ADAPTER_WEIGHT_FILES.join(' or ');
  return {
    artifact: null,
    problem: `the trainer reported completion but ${relative(runDir, dir)}/ holds no ${expected}`,
  };
}
