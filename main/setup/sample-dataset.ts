import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findAppRoot } from '../paths';

/** The sample dataset's file name inside the shipped `samples` folder. */
export const SAMPLE_DATASET_FILE = 'lab-assistant-chat.jsonl';
/** The name a sample import gets unless the caller gives one. */
export const SAMPLE_DATASET_NAME = 'Lab assistant (sample)';

/**
 * Where the sample dataset lives: electron-builder ships `samples` as an extra resource
 * (process.resourcesPath/samples); from the source tree or `out/` it is resources/samples.
 */
export function findSampleDataset(
  resourcesPath: string | undefined = (process as { resourcesPath?: string }).resourcesPath,
): string {
  const candidates = [
    ...(resourcesPath ? [join(resourcesPath, 'samples', SAMPLE_DATASET_FILE)] : []),
    join(findAppRoot(), 'resources', 'samples', SAMPLE_DATASET_FILE),
  ];
  return candidates.find((file) => existsSync(file)) ?? (candidates.at(-1) as string);
}
