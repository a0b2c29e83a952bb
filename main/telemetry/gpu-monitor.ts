import { type ChildProcess, spawn as nodeSpawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { GpuProcess, GpuSample, GpuStatus } from '../../preload/contract';
import { queryGpuProcesses } from './gpu-processes';
import {
  buildGpuQueryArgs,
  describeNvidiaSmiFailure,
  noNvidiaSmiMessage,
  parseGpuLine,
} from './nvidia-smi-parser';
import { SampleAssembler } from './sample-assembler';

/** Options of a GpuMonitor; every one has a default that suits the app. */
export interface GpuMonitorOptions {
  /** The nvidia-smi binary (a name looked up on the env's PATH, or a path). */
  readonly nvidiaSmiPath?: string;
  /** Sampling period in ms (at least 100). */
  readonly intervalMs?: number;
  /** Environment of the nvidia-smi process; PATH decides which nvidia-smi runs. */
  readonly env?: NodeJS.ProcessEnv;
  /** Called with every new status: a new sample or a change of state. */
  readonly onStatus?: (status: GpuStatus) => void;
  /** Clock for `sampledAt`. */
  readonly now?: () => number;
  /** Quiet time after which the lines received so far form a whole sample (default: min(200, interval / 4)). */
  readonly quietMs?: number;
  /** First restart delay after nvidia-smi died; it doubles up to `maxRestartDelayMs`. */
  readonly restartDelayMs?: number;
  /** Longest wait between two restarts. */
  readonly maxRestartDelayMs?: number;
  /** Give up after this many restarts in a row that produced no sample. */
  readonly maxFruitlessRestarts?: number;
  /** A run that sampled for this long resets the restart delay. */
  readonly stableMs?: number;
  /** How long stop() waits after SIGTERM before SIGKILL. */
  readonly killGraceMs?: number;
  /** Process spawner (node's by default). */
  readonly spawn?: typeof nodeSpawn;
  /** How often the processes on the GPUs are listed while sampling works (default 5 s; 0: never). */
  readonly processesEveryMs?: number;
  /** The LoRA Studio job a GPU process belongs to (null: another program). */
  readonly jobOfPid?: (pid: number) => Promise<string | null>;
}

interface Run {
  readonly child: ChildProcess | null;
  readonly startedAt: number;
  readonly exited: Promise<void>;
  sampled: boolean;
}

const OUTPUT_TAIL_CHARS = 4096;
const STARTING: GpuStatus = Object.freeze({
  state: 'starting',
  message: null,
  gpus: [],
  sampledAt: null,
  processes: [],
});

/**
 * Streams GPU samples from one long-running `nvidia-smi --query-gpu … -lms N` (spawned, never blocking
 * the main thread) and explains its absence or failure as a GpuStatus. It never throws to its caller,
 * restarts nvidia-smi with backoff when it dies after having worked, and leaves no child after stop().
 */
export class GpuMonitor {
  private readonly nvidiaSmiPath: string;
  private readonly intervalMs: number;
  private readonly quietMs: number;
  private readonly spawnProcess: typeof nodeSpawn;
  private readonly now: () => number;
  private status: GpuStatus = STARTING;
  private run: Run | null = null;
  private running = false;
  private everSampled = false;
  private backoffStep = 0;
  private fruitlessRestarts = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private processes: GpuProcess[] = [];
  private processesQueriedAt = Number.NEGATIVE_INFINITY;
  private processQuery: Promise<void> | null = null;

  constructor(private readonly options: GpuMonitorOptions = {}) {
    this.nvidiaSmiPath = options.nvidiaSmiPath ?? 'nvidia-smi';
    this.intervalMs = Math.max(100, Math.round(options.intervalMs ?? 1000));
    this.quietMs = options.quietMs ?? Math.min(200, Math.floor(this.intervalMs / 4));
    this.spawnProcess = options.spawn ?? nodeSpawn;
    this.now = options.now ?? Date.now;
  }

  /** The latest status; `starting` until the first sample or failure. */
  current(): GpuStatus {
    return this.status;
  }

  /** The pid of the running nvidia-smi, or null when none runs. */
  get pid(): number | null {
    return this.run?.child?.pid ?? null;
  }

  /** Start sampling; does nothing when already started. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.everSampled = false;
    this.backoffStep = 0;
    this.fruitlessRestarts = 0;
    this.setStatus(STARTING);
    this.launch();
  }

  /** Stop sampling; resolves once nvidia-smi has exited (SIGKILL after a grace period). */
  async stop(): Promise<void> {
    this.running = false;
    await this.processQuery;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const run = this.run;
    this.run = null;
    if (!run?.child) return;
    const { child } = run;
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), this.options.killGraceMs ?? 2000);
      await run.exited;
      clearTimeout(killer);
    } else {
      await run.exited;
    }
  }

  private launch(): void {
    this.restartTimer = null;
    const args = buildGpuQueryArgs(this.intervalMs);
    let child: ChildProcess;
    try {
      child = this.spawnProcess(this.nvidiaSmiPath, args, {
        env: this.options.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
    } catch (error) {
      this.run = null;
      this.setStatus(
        failed('error', `Could not start nvidia-smi (${this.nvidiaSmiPath}): ${errorMessage(error)}`),
      );
      return;
    }

    let resolveExited: () => void = () => {};
    const run: Run = {
      child,
      startedAt: this.now(),
      exited: new Promise<void>((resolve) => {
        resolveExited = resolve;
      }),
      sampled: false,
    };
    this.run = run;

    const assembler = new SampleAssembler();
    let output = '';
    let quietTimer: NodeJS.Timeout | null = null;
    let spawnError: NodeJS.ErrnoException | null = null;
    let settled = false;

    const remember = (text: string) => {
      output = (output + text).slice(-OUTPUT_TAIL_CHARS);
    };
    const emit = (gpus: readonly GpuSample[] | null) => {
      if (!gpus || this.run !== run) return;
      run.sampled = true;
      this.everSampled = true;
      this.fruitlessRestarts = 0;
      this.setStatus({
        state: 'ok',
        message: null,
        gpus: [...gpus],
        sampledAt: this.now(),
        processes: this.processes,
      });
      this.refreshProcesses();
    };
    const flush = () => {
      quietTimer = null;
      emit(assembler.flush());
    };

    const lines = createInterface({ input: child.stdout!, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on('line', (line) => {
      const gpu = parseGpuLine(line);
      if (!gpu) {
        if (line.trim() !== '') remember(`${line}\n`);
        return;
      }
      emit(assembler.push(gpu));
      if (quietTimer) clearTimeout(quietTimer);
      quietTimer = setTimeout(flush, this.quietMs);
    });
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (chunk: string) => remember(chunk));

    const settle = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      if (quietTimer) clearTimeout(quietTimer);
      if (this.run === run) {
        emit(assembler.flush());
        this.run = null;
        this.onRunEnded(run, spawnError, output, code, signal);
      }
      resolveExited();
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Without a pid the process never started, and 'close' may be all that follows; with one, this
      // is a failed kill() and 'close' will still come.
      if (child.pid === undefined) {
        spawnError = error;
        settle(null, null);
      }
    });
    child.on('close', (code, signal) => settle(code, signal));
  }

  /** List the GPU processes again when the last list is older than `processesEveryMs` (one query at a time). */
  private refreshProcesses(): void {
    const every = this.options.processesEveryMs ?? 5000;
    if (every <= 0 || this.processQuery !== null || this.now() - this.processesQueriedAt < every) return;
    this.processesQueriedAt = this.now();
    this.processQuery = queryGpuProcesses({
      nvidiaSmiPath: this.nvidiaSmiPath,
      env: this.options.env,
      jobOfPid: this.options.jobOfPid,
    })
      .then((found) => {
        if (found === null || !this.running) return;
        this.processes = found;
        if (this.status.state === 'ok') this.setStatus({ ...this.status, processes: found });
      })
      .finally(() => {
        this.processQuery = null;
      });
  }

  private onRunEnded(
    run: Run,
    spawnError: NodeJS.ErrnoException | null,
    output: string,
    code: number | null,
    signal: NodeJS.Signals | null,
  ): void {
    if (!this.running) return;
    if (spawnError) {
      this.setStatus(
        spawnError.code === 'ENOENT'
          ? failed('no-nvidia-smi', noNvidiaSmiMessage(this.nvidiaSmiPath))
          : failed('error', `Could not start nvidia-smi (${this.nvidiaSmiPath}): ${spawnError.message}`),
      );
      return;
    }
    const failure = describeNvidiaSmiFailure(output, code, signal);
    if (!run.sampled) this.fruitlessRestarts += 1;
    const maxFruitless = this.options.maxFruitlessRestarts ?? 5;
    if (!this.everSampled || this.fruitlessRestarts > maxFruitless) {
      this.setStatus(failed(failure.state, failure.message));
      return;
    }
    const stable = run.sampled && this.now() - run.startedAt >= (this.options.stableMs ?? 30_000);
    this.backoffStep = stable ? 0 : this.backoffStep + 1;
    const delay = Math.min(
      this.options.maxRestartDelayMs ?? 5000,
      (this.options.restartDelayMs ?? 500) * 2 ** Math.max(0, this.backoffStep - 1),
    );
    this.setStatus(
      failed(failure.state, `${failure.message} Restarting nvidia-smi in ${formatSeconds(delay)}.`),
    );
    this.restartTimer = setTimeout(() => {
      if (this.running) this.launch();
    }, delay);
  }

  private setStatus(next: GpuStatus): void {
    if (JSON.stringify(next) === JSON.stringify(this.status)) return;
    this.status = Object.freeze(next);
    try {
      this.options.onStatus?.(this.status);
    } catch (error) {
      console.error('GpuMonitor onStatus listener failed:', error);
    }
  }
}

function failed(state: Exclude<GpuStatus['state'], 'ok' | 'starting'>, message: string): GpuStatus {
  return { state, message, gpus: [], sampledAt: null, processes: [] };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(2))} s`;
}
