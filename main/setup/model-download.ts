/**
 * A base model from the Hugging Face Hub by its id, as a tracked task: `<trainer> download ID` in
 * its own process group, its protocol lines (`download` with bytes and total, then `done` or `error`)
 * turned into task progress, cancel as SIGTERM to the group (SIGKILL after a grace). huggingface_hub
 * keeps partial files, so a cancelled or interrupted download resumes when started again.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { formatBytes } from '../datasets/readers/source-record';
import { AppError } from '../errors';
import type { TaskReporter } from '../tasks/task-registry';
import type { TrainerCommand } from '../training/job-supervisor';
import { terminateChild } from '../training/process-info';

const CANCEL_GRACE_MS = 5_000;

/** A Hub model id: `org/name` (or a bare `name`), the characters the Hub allows. */
export const HUB_ID = /^[A-Za-z0-9][\w.-]{0,95}(\/[A-Za-z0-9][\w.-]{0,95})?$/;

/** Why a download did not happen, as the trainer says it (`error.code`). */
export type DownloadFailure = 'OFFLINE' | 'GATED' | 'NOT_FOUND' | 'FAILED';

/** What a finished download leaves: the snapshot folder in the HF cache, and its size. */
export interface DownloadResult {
  readonly path: string;
  readonly bytes: number;
}

/** One protocol line of `download`, read leniently: unknown types and fields are ignored. */
interface DownloadLine {
  readonly type?: unknown;
  readonly bytes?: unknown;
  readonly total?: unknown;
  readonly path?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
}

const FAILURE_CODE: Readonly<Record<DownloadFailure, AppError['code']>> = {
  OFFLINE: 'UNAVAILABLE',
  GATED: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  FAILED: 'INTERNAL',
};

function isFailure(value: unknown): value is DownloadFailure {
  return value === 'OFFLINE' || value === 'GATED' || value === 'NOT_FOUND' || value === 'FAILED';
}

/** "1.2 GB of 3.4 GB" for the task's message, in the units of every message in the app. */
function sizeText(bytes: number, total: number | null): string {
  return total === null ? formatBytes(bytes) : `${formatBytes(bytes)} of ${formatBytes(total)}`;
}

/**
 * Runs `<trainer> download repoId` and resolves with the snapshot folder; rejects with an AppError
 * whose `details.reason` is the trainer's code (OFFLINE → UNAVAILABLE with its way forward).
 */
export function downloadModel(input: {
  readonly command: TrainerCommand;
  readonly env: NodeJS.ProcessEnv;
  readonly repoId: string;
  readonly revision?: string;
  readonly reporter: TaskReporter;
}): Promise<DownloadResult> {
  const { command, reporter, repoId } = input;
  if (!HUB_ID.test(repoId))
    throw new AppError(
      'BAD_INPUT',
      `"${repoId}" is not a Hugging Face model id (like Qwen/Qwen2.5-0.5B-Instruct).`,
    );
  return new Promise((resolve, reject) => {
    if (reporter.signal.aborted) return reject(new AppError('CONFLICT', 'The download was cancelled.'));
    const args = [
      ...command.args,
      'download',
      repoId,
      ...(input.revision ? ['--revision', input.revision] : []),
    ];
    const child = spawn(command.command, args, {
      env: { ...input.env, ...command.env, PYTHONUNBUFFERED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    let result: DownloadResult | null = null;
    let failure: AppError | null = null;
    let stderrTail = '';
    let cancelKill: (() => void) | null = null;
    createInterface({ input: child.stdout }).on('line', (text) => {
      let line: DownloadLine;
      try {
        line = JSON.parse(text) as DownloadLine;
      } catch {
        return; // not a protocol line (a library printing to stdout)
      }
      if (line.type === 'download' && typeof line.bytes === 'number') {
        const total = typeof line.total === 'number' && line.total > 0 ? line.total : null;
        reporter.progress(line.bytes, total, `${repoId}: ${sizeText(line.bytes, total)}`);
      } else if (line.type === 'done' && typeof line.path === 'string') {
        result = { path: line.path, bytes: typeof line.bytes === 'number' ? line.bytes : 0 };
      } else if (line.type === 'error') {
        const reason = isFailure(line.code) ? line.code : 'FAILED';
        const message = typeof line.message === 'string' ? line.message : `The download of ${repoId} failed.`;
        failure = new AppError(FAILURE_CODE[reason], message, { reason });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-4000);
    });
    const onAbort = () => {
      cancelKill = terminateChild(child, CANCEL_GRACE_MS);
    };
    reporter.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (error) =>
      reject(
        new AppError('UNAVAILABLE', `The trainer could not start to download ${repoId}: ${error.message}`),
      ),
    );
    child.once('close', (code, signal) => {
      cancelKill?.();
      reporter.signal.removeEventListener('abort', onAbort);
      if (reporter.signal.aborted)
        return reject(new AppError('CONFLICT', 'The download was cancelled; starting it again resumes it.'));
      if (failure !== null) return reject(failure);
      if (code === 0 && result !== null) return resolve(result);
      const why = stderrTail.trim().split('\n').at(-1)?.trim();
      reject(
        new AppError(
          'INTERNAL',
          `The download of ${repoId} ${signal ? `was killed by ${signal}` : `ended with code ${code}`}` +
            `${why ? `: ${why}` : ' without saying why'}.`,
          { reason: 'FAILED' },
        ),
      );
    });
  });
}
