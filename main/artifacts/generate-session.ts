/**
 * Try it: `<trainer> generate` for the base model and then with the adapter, each a child process
 * in its own group whose `token` lines are pushed as `generate` events as they arrive. Cancelling
 * the task kills the running one and skips the rest.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ModelArtifactRow } from '../../db/repositories/model-artifacts-repository';
import type { EventPayload } from '../../preload/contract';
import { AppError } from '../errors';
import type { TaskReporter } from '../tasks/task-registry';
import type { TrainerCommand } from '../training/job-supervisor';
import { signalChild } from '../training/process-info';

export type Side = 'base' | 'adapter';

export interface GenerateRequest {
  readonly prompt: string;
  readonly system?: string;
  readonly maxTokens: number;
  readonly temperature: number;
  readonly stop: ReadonlyArray<string>;
  readonly sides: ReadonlyArray<Side>;
}

export interface GenerateDeps {
  readonly dataDir: string;
  readonly env: NodeJS.ProcessEnv;
  readonly trainerCommand: () => Promise<TrainerCommand>;
  readonly emit: (payload: EventPayload<'generate'>) => void;
}

/** The `generate` arguments of one side: the base folder alone, or with the adapter. */
export function generateArgs(
  artifact: ModelArtifactRow,
  dataDir: string,
  side: Side,
  req: GenerateRequest,
): string[] {
  const own = join(dataDir, artifact.path);
  const base = artifact.kind === 'merged' ? own : artifact.baseModelPath;
  if (!base) throw new AppError('BAD_INPUT', 'This artifact has no recorded base model to generate with.');
  const args = [
    'generate',
    '--base',
    side === 'base' && artifact.kind === 'merged' ? (artifact.baseModelPath ?? own) : base,
  ];
  if (side === 'adapter' && artifact.kind === 'adapter') args.push('--adapter', own);
  args.push(
    '--prompt',
    req.prompt,
    '--max-new-tokens',
    String(req.maxTokens),
    '--temperature',
    String(req.temperature),
  );
  if (req.system) args.push('--system', req.system);
  for (const s of req.stop) args.push('--stop', s);
  return args;
}

function runSide(
  deps: GenerateDeps,
  command: TrainerCommand,
  args: ReadonlyArray<string>,
  emit: (type: 'token' | 'done' | 'error', fields: Partial<EventPayload<'generate'>>) => void,
  signal: AbortSignal,
): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    let ended = false;
    let stderrTail = '';
    const child = spawn(command.command, [...command.args, ...args], {
      env: { ...deps.env, ...command.env, PYTHONUNBUFFERED: '1', HF_HUB_OFFLINE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const kill = () => signalChild(child, 'SIGKILL');
    signal.addEventListener('abort', kill, { once: true });
    createInterface({ input: child.stdout }).on('line', (line) => {
      let event: { type?: string; text?: unknown; message?: unknown; tokens?: unknown };
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        return; // not a protocol line
      }
      if (event.type === 'token' && typeof event.text === 'string') emit('token', { text: event.text });
      else if (event.type === 'done') {
        ended = true;
        emit('done', { tokens: typeof event.tokens === 'number' ? event.tokens : null });
      } else if (event.type === 'error') {
        ended = true;
        emit('error', { message: typeof event.message === 'string' ? event.message : 'generation failed' });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderrTail = (stderrTail + chunk).slice(-2000);
    });
    child.once('error', (error) => {
      ended = true;
      emit('error', { message: `The generator could not start: ${error.message}` });
    });
    child.once('close', (code) => {
      signal.removeEventListener('abort', kill);
      if (!ended) {
        const why = signal.aborted
          ? 'stopped'
          : `the generator exited with code ${code}: ${stderrTail.trim().split('\n').at(-1) ?? ''}`;
        emit('error', { message: why });
      }
      resolve();
    });
  });
}

/** Generate each requested side in turn, pushing its text as it comes. */
export async function runGenerateSession(
  deps: GenerateDeps,
  artifact: ModelArtifactRow,
  req: GenerateRequest,
  /** The task's id, known once `tasks.start` returned (the work starts inside it). */
  sessionId: () => string,
  reporter: TaskReporter,
): Promise<null> {
  const command = await deps.trainerCommand();
  for (const [i, side] of req.sides.entries()) {
    if (reporter.signal.aborted) break;
    reporter.progress(
      i,
      req.sides.length,
      `generating with the ${side === 'base' ? 'base model' : 'adapter'}`,
    );
    const args = generateArgs(artifact, deps.dataDir, side, req);
    await runSide(
      deps,
      command,
      args,
      (type, fields) =>
        deps.emit({ sessionId: sessionId(), side, type, text: null, message: null, tokens: null, ...fields }),
      reporter.signal,
    );
  }
  return null;
}
