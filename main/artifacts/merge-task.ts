/**
 * Merging an adapter into its base model as a tracked task: `<trainer> merge --base B --adapter A
 * --out DIR` in its own process group (cancel: SIGTERM to the group, SIGKILL after a grace), its
 * stderr's last line as progress, and on success the folder registered as an artifact of kind
 * `merged`. A cancelled or failed merge leaves no folder behind.
 */
import { spawn } from 'node:child_process';
import { rm, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Clock } from '../../db/ids';
import type { Db } from '../../db/open';
import {
  type ModelArtifactRow,
  ModelArtifactsRepository,
} from '../../db/repositories/model-artifacts-repository';
import { AppError } from '../errors';
import type { TaskReporter } from '../tasks/task-registry';
import type { TrainerCommand } from '../training/job-supervisor';
import { terminateChild } from '../training/process-info';
import { listFiles, sha256File } from './adapter-artifact';
import { parseArtifactMeta } from './artifact-meta';

const CANCEL_GRACE_MS = 5_000;

export interface MergeDeps {
  readonly db: Db;
  readonly dataDir: string;
  readonly now: Clock;
  readonly env: NodeJS.ProcessEnv;
  readonly trainerCommand: () => Promise<TrainerCommand>;
}

/** What `<trainer> merge` prints on success (one JSON object). */
interface MergeOutput {
  readonly ok: boolean;
  readonly out: string;
}

/** Run the merge command; resolves with its stdout, rejects with a readable error. */
function runMergeProcess(
  command: TrainerCommand,
  args: ReadonlyArray<string>,
  env: NodeJS.ProcessEnv,
  reporter: TaskReporter,
): Promise<string> {
  return new Promise((resolve, reject) => {
    if (reporter.signal.aborted) return reject(new AppError('CONFLICT', 'The merge was cancelled.'));
    const child = spawn(command.command, [...command.args, ...args], {
      env: { ...env, ...command.env, PYTHONUNBUFFERED: '1', HF_HUB_OFFLINE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    let stdout = '';
    let stderrTail = '';
    let cancelKill: (() => void) | null = null;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
      const last = stderrTail
        .trim()
        .split(/[\r\n]+/)
        .at(-1)
        ?.trim();
      if (last) reporter.progress(0, null, last.slice(0, 200));
    });
    const onAbort = () => {
      cancelKill = terminateChild(child, CANCEL_GRACE_MS);
    };
    reporter.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) =>
      reject(new AppError('UNAVAILABLE', `The merge could not start: ${error.message}`)),
    );
    child.once('close', (code, signal) => {
      cancelKill?.();
      reporter.signal.removeEventListener('abort', onAbort);
      if (reporter.signal.aborted) return reject(new AppError('CONFLICT', 'The merge was cancelled.'));
      if (code === 0) return resolve(stdout);
      // lora_trainer prints {"ok":false,"error":{"message"}} on failure; else the last stderr line.
      let why = stderrTail.trim().split('\n').at(-1) ?? '';
      try {
        const parsed = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as {
          error?: { message?: unknown };
        };
        if (typeof parsed.error?.message === 'string') why = parsed.error.message;
      } catch {
        // not JSON: keep the stderr line
      }
      reject(
        new AppError(
          'INTERNAL',
          `The merge ${signal ? `was killed by ${signal}` : `exited with code ${code}`}${why ? `: ${why}` : ''}`,
        ),
      );
    });
  });
}

/** Merge artifact `source` (an adapter) into its base model; returns the `merged` artifact. */
export async function mergeAdapter(
  deps: MergeDeps,
  source: ModelArtifactRow,
  dtype: 'bf16' | 'fp16' | 'fp32',
  reporter: TaskReporter,
): Promise<ModelArtifactRow> {
  if (!source.baseModelPath) throw new AppError('BAD_INPUT', 'This adapter has no recorded base model.');
  const adapterDir = join(deps.dataDir, source.path);
  const rel = join('merged', `${source.id}-${dtype}-${deps.now().toString(36)}`);
  const out = join(deps.dataDir, rel);
  reporter.progress(0, null, `loading ${source.baseModelPath}`);
  try {
    const stdout = await runMergeProcess(
      await deps.trainerCommand(),
      ['merge', '--base', source.baseModelPath, '--adapter', adapterDir, '--out', out, '--dtype', dtype],
      deps.env,
      reporter,
    );
    const line = stdout.trim().split('\n').at(-1) ?? '';
    let parsed: MergeOutput | null = null;
    try {
      parsed = JSON.parse(line) as MergeOutput;
    } catch {
      parsed = null;
    }
    if (!parsed?.ok || !(await stat(out).catch(() => null))?.isDirectory()) {
      throw new AppError(
        'INTERNAL',
        `The merge reported no merged folder (output: ${line.slice(0, 300) || 'none'}).`,
      );
    }
  } catch (error) {
    await rm(out, { recursive: true, force: true });
    await rm(`${out}.tmp`, { recursive: true, force: true });
    throw error;
  }
  const files = await listFiles(out);
  const weights = files.filter((f) => f.name.endsWith('.safetensors'));
  const meta = parseArtifactMeta(source.metaJson);
  const first = weights[0];
  return new ModelArtifactsRepository(deps.db, deps.now).create({
    jobId: source.jobId,
    kind: 'merged',
    name: `${source.name} (merged, ${dtype})`,
    path: relative(deps.dataDir, out),
    sizeBytes: files.reduce((s, f) => s + f.sizeBytes, 0),
    // One weights file: its hash; a sharded model: none (each shard would need its own).
    sha256: weights.length === 1 && first ? await sha256File(join(out, first.name)) : null,
    baseModelPath: source.baseModelPath,
    metaJson: JSON.stringify({
      ...meta,
      files,
      weightsFile: weights.length === 1 ? (first?.name ?? null) : null,
      mergedFrom: source.id,
      dtype,
    }),
  });
}
