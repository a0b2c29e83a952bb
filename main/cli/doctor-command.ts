import type { DoctorReport } from '../../preload/contract';
import { type CliContext, call } from './cli-context';

export const DOCTOR_USAGE =
  '  doctor                                 Check this machine: GPUs, driver, CUDA, disk, Python';

function gb(value: number | null): string {
  return value === null ? 'unknown' : `${value.toFixed(1)} GB`;
}

/** The doctor report as a person reads it. */
export function formatDoctor(report: DoctorReport): string {
  const gpus = report.gpu.gpus;
  const lines = [
    `LoRA Studio ${report.app.version} · Node ${report.app.node} · ${report.app.platform}/${report.app.arch}`,
    `Data folder: ${report.dataDir} (${gb(report.disk.freeGb)} free of ${gb(report.disk.totalGb)})`,
    `SQLite:      ${report.sqlite.version}`,
    `CPU:         ${report.cpu.model} (${report.cpu.cores} cores)`,
    `Memory:      ${gb(report.memory.freeMb / 1024)} free of ${gb(report.memory.totalMb / 1024)}`,
    gpus.length > 0
      ? `GPUs:        ${gpus.map((g) => `#${g.index} ${g.name}`).join(', ')} · driver ${report.gpu.driverVersion ?? '?'} · CUDA ${report.gpu.cudaVersion ?? '?'}`
      : `GPUs:        none (${report.gpu.message ?? report.gpu.state})`,
    `Python:      ${report.python.path ?? 'not found'}${report.python.version ? ` (${report.python.version})` : ''} [${report.python.source}]`,
    report.packages === null
      ? 'Packages:    unknown (the trainer could not be asked)'
      : `Packages:    torch ${report.packages.torch ?? 'MISSING'}${report.packages.cuda ? ` (CUDA ${report.packages.cuda})` : report.packages.torch ? ' (CPU build)' : ''} · transformers ${report.packages.transformers ?? 'missing'} · peft ${report.packages.peft ?? 'missing'}`,
  ];
  if (report.problems.length > 0) lines.push('', 'Problems:', ...report.problems.map((p) => `  - ${p}`));
  return lines.join('\n');
}

/** `doctor`: real facts about this machine. */
export function doctorCommand(ctx: CliContext): Promise<void> {
  return ctx.withCore(async (core) => {
    const report = await call(core, 'doctor.run', {});
    ctx.print(report, () => formatDoctor(report));
  });
}
