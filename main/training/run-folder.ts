/**
 * A run folder, `<dataDir>/runs/<jobId>/`, as the trainer expects to find it: config.json (the
 * resolved TrainerConfig, written temp + rename so it is never half there), train.jsonl and
 * val.jsonl split from a frozen dataset version (each version line is a canonical row with
 * `"split": "train" | "val"`; the split field is dropped), streamed line by line.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { TrainerConfig } from '../../preload/contract';

export const RUNS_DIR = 'runs';

/** The run folder of a job, relative to the data folder (as stored in the job row). */
export function runDirFor(jobId: string): string {
  return join(RUNS_DIR, jobId);
}

/** Write config.json atomically. */
export async function writeRunConfig(runDir: string, config: TrainerConfig): Promise<void> {
  const file = join(runDir, 'config.json');
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`);
  await rename(tmp, file);
}

export interface SplitResult {
  readonly trainRows: number;
  readonly valRows: number;
  /** sha256 of the version file as read (to compare with the recorded one). */
  readonly sha256: string;
}

function write(stream: WriteStream, text: string): Promise<void> | null {
  return stream.write(text) ? null : new Promise((resolve) => stream.once('drain', resolve));
}

function finish(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(resolve);
  });
}

/** Split a frozen version file into train.jsonl / val.jsonl in `runDir`. */
export async function splitDatasetVersion(versionFile: string, runDir: string): Promise<SplitResult> {
  const hash = createHash('sha256');
  const input = createReadStream(versionFile);
  input.on('data', (chunk) => hash.update(chunk as Buffer));
  const train = createWriteStream(join(runDir, 'train.jsonl'));
  const val = createWriteStream(join(runDir, 'val.jsonl'));
  let trainRows = 0;
  let valRows = 0;
  let lineNumber = 0;
  try {
    for await (const line of createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY })) {
      lineNumber++;
      if (line.trim() === '') continue;
      let row: unknown;
      try {
        row = JSON.parse(line);
      } catch {
        throw new Error(`dataset version ${versionFile}, line ${lineNumber}: not valid JSON`);
      }
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw new Error(`dataset version ${versionFile}, line ${lineNumber}: not a JSON object`);
      }
      const { split, ...rest } = row as Record<string, unknown>;
      const isVal = split === 'val';
      if (isVal) valRows++;
      else trainRows++;
      await write(isVal ? val : train, `${JSON.stringify(rest)}\n`);
    }
  } finally {
    input.destroy();
    await Promise.all([finish(train), finish(val)]);
  }
  return { trainRows, valRows, sha256: hash.digest('hex') };
}

export interface CreateRunFolderInput {
  readonly dataDir: string;
  readonly jobId: string;
  readonly config: TrainerConfig;
  /** Absolute path of the frozen dataset version file. */
  readonly versionFile: string;
  /** The sha256 recorded when the version was frozen; a file that no longer matches is refused. */
  readonly expectedSha256?: string;
}

/** Create the run folder with config.json, train.jsonl and val.jsonl; removed again on failure. */
export async function createRunFolder(
  input: CreateRunFolderInput,
): Promise<SplitResult & { readonly runDir: string; readonly absDir: string }> {
  const runDir = runDirFor(input.jobId);
  const absDir = join(input.dataDir, runDir);
  await mkdir(absDir, { recursive: true });
  try {
    const split = await splitDatasetVersion(input.versionFile, absDir);
    if (input.expectedSha256 !== undefined && split.sha256 !== input.expectedSha256) {
      throw new Error('the frozen dataset version changed on disk since it was frozen (sha256 differs)');
    }
    await writeRunConfig(absDir, input.config);
    return { ...split, runDir, absDir };
  } catch (error) {
    await rm(absDir, { recursive: true, force: true });
    throw error;
  }
}

/** Prepare a run folder to continue from its last checkpoint. */
export async function prepareResume(absDir: string, config: TrainerConfig): Promise<TrainerConfig> {
  const resumed: TrainerConfig = { ...config, resume_from_checkpoint: 'last' };
  // A cancel file left by a run that was killed before it could consume it would stop the resume.
  await rm(join(absDir, 'cancel'), { force: true });
  await writeRunConfig(absDir, resumed);
  return resumed;
}
