import type { DoctorReport, ModelInfo, SetupReport, SetupStep } from '../../preload/contract';
import type { TrainerDoctorRun } from '../training/trainer-doctor';
import { torchBuildFor } from './torch-build';

/** The sentence for a machine without an NVIDIA GPU (the issue's own words: what still works). */
export const NO_GPU_MESSAGE =
  'No NVIDIA GPU: you can curate datasets and prepare jobs; training needs one (the CPU suits only tiny test models).';

/** Below this much free space a first run will not fit its checkpoints; below WARN_DISK_GB it is tight. */
export const FAIL_DISK_GB = 10;
export const WARN_DISK_GB = 50;

/** What the first-run checks look at; gathered by the caller so the verdicts are a plain function. */
export interface SetupFacts {
  readonly doctor: DoctorReport;
  readonly trainer: TrainerDoctorRun;
  /** Base models found: the Hugging Face cache and local folders the app knows. */
  readonly models: ReadonlyArray<Pick<ModelInfo, 'name' | 'source'>>;
  readonly datasets: ReadonlyArray<{
    readonly name: string;
    readonly valid: number;
    readonly status: string;
  }>;
  readonly online: boolean;
}

function gpuStep(doctor: DoctorReport): SetupStep {
  const { gpu } = doctor;
  if (gpu.state === 'ok' && gpu.gpus.length > 0) {
    const names = gpu.gpus
      .map(
        (g) => `${g.name}${g.memoryTotalMb === null ? '' : ` (${Math.round(g.memoryTotalMb / 1024)} GiB)`}`,
      )
      .join(', ');
    return {
      id: 'gpu',
      verdict: 'ok',
      message: `${gpu.gpus.length} NVIDIA GPU${gpu.gpus.length === 1 ? '' : 's'}: ${names}; driver ${gpu.driverVersion ?? '?'}, CUDA ${gpu.cudaVersion ?? '?'}.`,
      fix: null,
    };
  }
  if (gpu.state === 'error') {
    return {
      id: 'gpu',
      verdict: 'fail',
      message: `nvidia-smi is there but failed: ${gpu.message ?? 'no reason given'}.`,
      fix: {
        label: 'Reinstall or update the NVIDIA driver, then run nvidia-smi',
        action: null,
        command: 'nvidia-smi',
      },
    };
  }
  return {
    id: 'gpu',
    verdict: 'warn',
    message: NO_GPU_MESSAGE,
    fix: {
      label: 'On a machine with an NVIDIA GPU, install its driver (nvidia-smi must run)',
      action: null,
      command: null,
    },
  };
}

function pythonStep(facts: SetupFacts): SetupStep {
  const { doctor, trainer, online } = facts;
  const torch = torchBuildFor(doctor.gpu.state === 'ok' ? doctor.gpu.cudaVersion : null);
  const setupFix = {
    label: online
      ? `Set up Python environment (a venv in the data folder; torch ${torch.tag})`
      : 'Set up Python environment (needs internet: this machine is offline, so pip cannot download; copy a prepared venv and set LORA_STUDIO_PYTHON)',
    action: online ? ('python.setup' as const) : null,
    command: torch.pip,
  };
  if (doctor.python.path === null) {
    return {
      id: 'python',
      verdict: 'fail',
      message: 'No Python interpreter found (3.10 or newer); training needs one.',
      fix: setupFix,
    };
  }
  const d = trainer.doctor;
  if (d === null) {
    return {
      id: 'python',
      verdict: 'fail',
      message: `Python ${doctor.python.version ?? ''} at ${doctor.python.path} cannot run the trainer: ${trainer.problem}`,
      fix: setupFix,
    };
  }
  const missing = (['torch', 'transformers', 'peft', 'accelerate'] as const).filter((p) => d[p] === null);
  if (missing.length > 0) {
    return {
      id: 'python',
      verdict: 'fail',
      message: `Python ${d.python ?? ''} lacks ${missing.join(', ')}${missing.includes('torch') ? ' (torch is missing: nothing can train)' : ''}.`,
      fix: setupFix,
    };
  }
  const versions = `torch ${d.torch}, transformers ${d.transformers}, peft ${d.peft}`;
  if (doctor.gpu.state === 'ok' && d.cuda === null) {
    return {
      id: 'python',
      verdict: 'warn',
      message: `Python ${d.python} with ${versions}, but this torch is a CPU build; the driver's CUDA ${doctor.gpu.cudaVersion ?? '?'} fits the ${torch.tag} build.`,
      fix: { label: `Install the ${torch.tag} build of torch`, action: null, command: torch.pip },
    };
  }
  const driverCuda = doctor.gpu.state === 'ok' ? Number.parseFloat(doctor.gpu.cudaVersion ?? '') : Number.NaN;
  const torchCuda = Number.parseFloat(d.cuda ?? '');
  if (!Number.isNaN(driverCuda) && !Number.isNaN(torchCuda) && torchCuda > driverCuda + 1e-9) {
    return {
      id: 'python',
      verdict: 'warn',
      message: `Python ${d.python} with ${versions}, but torch is built for CUDA ${d.cuda} and the driver offers CUDA ${doctor.gpu.cudaVersion}: update the driver, or install the ${torch.tag} build.`,
      fix: { label: `Install the ${torch.tag} build of torch`, action: null, command: torch.pip },
    };
  }
  return {
    id: 'python',
    verdict: 'ok',
    message: `Python ${d.python} with ${versions}${d.cuda === null ? ' (CPU build)' : `, CUDA ${d.cuda}`}.`,
    fix: null,
  };
}

function diskStep(doctor: DoctorReport): SetupStep {
  const { freeGb, path } = doctor.disk;
  if (freeGb === null) {
    return { id: 'disk', verdict: 'warn', message: `Could not read the free space at ${path}.`, fix: null };
  }
  const where = `${freeGb.toFixed(0)} GB free on the disk holding ${path}`;
  if (freeGb < FAIL_DISK_GB) {
    return {
      id: 'disk',
      verdict: 'fail',
      message: `Only ${where}: a base model, checkpoints and adapters need ${WARN_DISK_GB} GB or more.`,
      fix: {
        label: 'Free space, or start the app with another data folder (--data-dir)',
        action: null,
        command: null,
      },
    };
  }
  if (freeGb < WARN_DISK_GB) {
    return {
      id: 'disk',
      verdict: 'warn',
      message: `${where}: enough for small models; 7B–8B models and their checkpoints want ${WARN_DISK_GB} GB.`,
      fix: null,
    };
  }
  return { id: 'disk', verdict: 'ok', message: `${where}.`, fix: null };
}

function modelStep(facts: SetupFacts): SetupStep {
  const { models, online } = facts;
  if (models.length > 0) {
    const shown = models.slice(0, 3).map((m) => m.name);
    return {
      id: 'model',
      verdict: 'ok',
      message: `${models.length} base model${models.length === 1 ? '' : 's'} found: ${shown.join(', ')}${models.length > 3 ? ', …' : ''}.`,
      fix: null,
    };
  }
  return {
    id: 'model',
    verdict: 'warn',
    message: online
      ? 'No base model found in the Hugging Face cache; a job can also use any local model folder.'
      : 'No base model found in the Hugging Face cache, and this machine is offline: copy a model folder (config.json, tokenizer, safetensors) here and pick it on the new-job page.',
    fix: online
      ? {
          label:
            "Download a small starting model (from the app's resources/trainer folder, with the trainer's Python)",
          action: null,
          command: 'python -m lora_trainer download Qwen/Qwen2.5-0.5B-Instruct',
        }
      : null,
  };
}

function datasetStep(facts: SetupFacts): SetupStep {
  const ready = facts.datasets.filter((d) => d.status === 'ready' && d.valid > 0);
  if (ready.length > 0) {
    return {
      id: 'dataset',
      verdict: 'ok',
      message: `${ready.length} dataset${ready.length === 1 ? '' : 's'} ready: ${ready
        .slice(0, 3)
        .map((d) => `${d.name} (${d.valid} valid rows)`)
        .join(', ')}.`,
      fix: null,
    };
  }
  return {
    id: 'dataset',
    verdict: 'warn',
    message: 'No dataset yet: import your own file, or start with the sample chat dataset.',
    fix: {
      label: 'Import the sample dataset',
      action: 'datasets.importSample',
      command: 'lora-studio datasets import --sample',
    },
  };
}

/** The first-run report: one step per thing a first adapter needs, in the order a person fixes them. */
export function setupReport(facts: SetupFacts): SetupReport {
  return {
    steps: [
      gpuStep(facts.doctor),
      pythonStep(facts),
      diskStep(facts.doctor),
      modelStep(facts),
      datasetStep(facts),
    ],
    online: facts.online,
  };
}
