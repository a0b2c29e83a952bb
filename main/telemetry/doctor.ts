import type { DoctorReport } from '../../preload/contract';
import type { TrainerDoctorRun } from '../training/trainer-doctor';
import { probeGpus } from './probe-gpus';
import { probePythonVersion, type ResolvedPython, resolvePython } from './resolve-python';
import { getCpuInfo, getDiskSpace, getMemoryInfo } from './system-info';

/** What runDoctor needs to know and may use. */
export interface DoctorOptions {
  readonly dataDir: string;
  readonly appVersion: string;
  readonly sqliteVersion: string;
  /** The interpreter or how to find it; by default resolvePython({ env, setting: pythonSetting }). */
  readonly python?: ResolvedPython | (() => Promise<ResolvedPython>);
  /** The `python.path` setting, used when `python` is not given. */
  readonly pythonSetting?: string | null;
  readonly nvidiaSmiPath?: string;
  /** Environment for the commands it runs (PATH, LORA_STUDIO_PYTHON). */
  readonly env?: NodeJS.ProcessEnv;
  /** Time limit of each command. */
  readonly timeoutMs?: number;
  /** Below this much free space at dataDir, a problem is reported. */
  readonly minFreeDiskGb?: number;
  /** Ask the trainer (`lora_trainer doctor`) for torch, transformers and peft; omitted: packages null. */
  readonly trainer?: () => Promise<TrainerDoctorRun>;
}

/** The sentence shown when there is no usable NVIDIA GPU (jobs then train on the CPU, as preflight says). */
export const NO_GPU_PROBLEM =
  'No NVIDIA GPU found: jobs train on the CPU, which suits only tiny models and tests; dataset curation works as usual.';

/** Real facts about this machine (GPUs, driver, CUDA, disk, memory, CPU, Python) and the problems a person should fix. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const python = await pickPython(options, env);
  const [gpu, disk, memory, cpu, pythonProbe, trainer] = await Promise.all([
    probeGpus({ nvidiaSmiPath: options.nvidiaSmiPath, env, timeoutMs }),
    getDiskSpace(options.dataDir),
    getMemoryInfo(),
    getCpuInfo(),
    python.path === null ? null : probePythonVersion(python.path, { env, timeoutMs }),
    options.trainer === undefined
      ? null
      : options.trainer().catch((e: unknown) => ({ doctor: null, problem: String(e) })),
  ]);
  const packages =
    trainer?.doctor == null
      ? null
      : {
          torch: trainer.doctor.torch,
          cuda: trainer.doctor.cuda,
          transformers: trainer.doctor.transformers,
          peft: trainer.doctor.peft,
        };
  const missing =
    packages === null ? [] : (['torch', 'transformers', 'peft'] as const).filter((p) => packages[p] === null);

  const pythonProblem =
    python.path === null
      ? 'No Python interpreter found: set LORA_STUDIO_PYTHON or the python.path setting, or put python3 on PATH; training needs one.'
      : (pythonProbe?.problem ?? null);
  const minFreeGb = options.minFreeDiskGb ?? 20;
  const problems = [
    gpu.state === 'ok'
      ? null
      : gpu.state === 'error'
        ? `Could not read the GPUs: ${gpu.message ?? 'nvidia-smi failed.'}`
        : NO_GPU_PROBLEM,
    pythonProblem,
    disk.freeGb === null
      ? `Could not read the free disk space at ${options.dataDir}.`
      : disk.freeGb < minFreeGb
        ? `Only ${disk.freeGb} GB free on the disk holding ${options.dataDir}: checkpoints and adapters need ${minFreeGb} GB or more.`
        : null,
    // Only when there is a Python to speak of: without one the line above already says what to do.
    python.path === null || trainer === null
      ? null
      : trainer.doctor === null
        ? `The trainer cannot run with ${python.path}: ${trainer.problem}`
        : missing.length > 0
          ? `${missing.includes('torch') ? 'torch is missing: nothing can train. ' : ''}Missing Python packages: ${missing.join(', ')} (Settings → Set up Python environment, or \`pip install -r resources/trainer/requirements.txt\`).`
          : null,
  ].filter((p): p is string => p !== null);

  return {
    app: {
      version: options.appVersion,
      node: process.versions.node,
      platform: process.platform,
      arch: process.arch,
    },
    dataDir: options.dataDir,
    sqlite: { version: options.sqliteVersion },
    gpu,
    disk,
    memory: { totalMb: memory.totalMb, freeMb: memory.availableMb },
    cpu,
    python: {
      path: python.path,
      version: pythonProbe?.version ?? null,
      source: python.source,
      problem: pythonProblem,
    },
    packages,
    problems,
  };
}

async function pickPython(options: DoctorOptions, env: NodeJS.ProcessEnv): Promise<ResolvedPython> {
  const { python } = options;
  if (typeof python === 'function') return python();
  return python ?? resolvePython({ env, setting: options.pythonSetting ?? null });
}
