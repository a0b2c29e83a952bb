import { Cpu, LoaderCircle, TriangleAlert } from 'lucide-react';
import { useEffect } from 'react';
import { Link } from 'react-router';
import type { GpuProcess, GpuSample, JobSummary } from '../../../../preload/contract';
import { useClient } from '../../api/client-context';
import { Sparkline } from '../../components/chart/sparkline';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { formatGib, formatPct, formatTempC, formatWatts } from '../../format/format';
import { NO_GPU_EXPLANATION } from '../../shell/gpu-status-bar';
import { connectTraining } from '../../state/connect-training';
import { type GpuHistory, useGpuStore } from '../../state/gpu-store';
import { useTrainingStore } from '../../state/training-store';
import styles from './gpu-dashboard-page.module.css';

const MIB_PER_GIB = 1024;

function gib(mb: number | null): number | null {
  return mb === null ? null : mb / MIB_PER_GIB;
}

function mhz(value: number | null): string {
  return value === null ? '–' : `${Math.round(value).toLocaleString()} MHz`;
}

/** `/gpus`: one live card per GPU with the last 10 minutes as sparklines, and the job on it. */
export function GpuDashboardPage() {
  const client = useClient();
  const { status, error, history } = useGpuStore();
  const jobs = useTrainingStore((state) => state.jobs);
  // Which job uses which GPU comes from the job list, kept live while this page is open.
  useEffect(() => connectTraining(client), [client]);
  const state = status?.state ?? (error !== null ? 'error' : 'starting');

  return (
    <div data-testid="page-gpus" data-state={state}>
      <PageHeader
        title="GPUs"
        description="Live readings from nvidia-smi, about once a second; the sparklines show the last 10 minutes."
      />
      {state === 'starting' && (
        <p className={styles.muted}>
          <LoaderCircle size={14} aria-hidden="true" /> Reading GPUs…
        </p>
      )}
      {(state === 'no-nvidia-smi' || state === 'no-gpu') && (
        <EmptyState icon={Cpu} title="No NVIDIA GPU" testId="gpus-none">
          <p>{NO_GPU_EXPLANATION}</p>
          {status?.message && <p className={styles.muted}>{status.message}</p>}
        </EmptyState>
      )}
      {state === 'error' && (
        <EmptyState icon={TriangleAlert} title="GPU telemetry failed" testId="gpus-error">
          <p>{status?.message ?? error?.message ?? 'unknown error'}</p>
        </EmptyState>
      )}
      {state === 'ok' && status !== null && (
        <div className={styles.cards}>
          {status.gpus.length === 0 && <p className={styles.muted}>nvidia-smi reports no GPUs.</p>}
          {status.gpus.map((gpu) => (
            <GpuCard
              key={gpu.uuid || gpu.index}
              gpu={gpu}
              history={history[gpu.index]}
              jobs={jobs.filter((job) => isRunningOn(job, gpu.index))}
              processes={status.processes.filter((p) => p.gpuUuid === gpu.uuid)}
              jobName={(id) => jobs.find((job) => job.id === id)?.name ?? null}
            />
          ))}
        </div>
      )}
    </div>
  );
}

function isRunningOn(job: JobSummary, index: number): boolean {
  return (job.status === 'running' || job.status === 'starting') && job.gpuIndices.includes(index);
}

function GpuCard({
  gpu,
  history,
  jobs,
  processes,
  jobName,
}: {
  gpu: GpuSample;
  history: GpuHistory | undefined;
  jobs: ReadonlyArray<JobSummary>;
  processes: ReadonlyArray<GpuProcess>;
  jobName: (jobId: string) => string | null;
}) {
  const samples = history?.samples ?? [];
  const series = (pick: (s: GpuSample) => number | null) => samples.map(pick);
  const memTotalGib = gib(gpu.memoryTotalMb);
  return (
    <section
      className={styles.card}
      data-testid="gpu-card"
      data-index={gpu.index}
      aria-label={`GPU ${gpu.index}`}
    >
      <header className={styles.head}>
        <span className={styles.index}>GPU {gpu.index}</span>
        <span className={styles.name}>{gpu.name}</span>
        <span className={styles.uuid} title={gpu.uuid}>
          {gpu.uuid}
        </span>
      </header>
      <div className={styles.job} data-testid="gpu-card-job">
        {jobs.length === 0 ? (
          <span className={styles.muted}>No LoRA Studio job on this GPU.</span>
        ) : (
          jobs.map((job) => (
            <Link key={job.id} to={`/training/jobs/${job.id}`}>
              {job.name} · step {job.step.toLocaleString()}
              {job.maxSteps ? ` / ${job.maxSteps.toLocaleString()}` : ''}
            </Link>
          ))
        )}
      </div>
      <dl className={styles.metrics}>
        <Metric
          label="Utilisation"
          value={formatPct(gpu.utilizationPct)}
          testId="gpu-card-util"
          spark={
            <Sparkline
              values={series((s) => s.utilizationPct)}
              min={0}
              max={100}
              label="utilisation, last 10 minutes"
              testId="gpu-spark-util"
            />
          }
        />
        <Metric
          label="Memory"
          value={`${formatGib(gib(gpu.memoryUsedMb))}${memTotalGib !== null ? ` of ${formatGib(memTotalGib)}` : ''}`}
          testId="gpu-card-memory"
          spark={
            <Sparkline
              values={series((s) => gib(s.memoryUsedMb))}
              min={0}
              max={memTotalGib ?? undefined}
              color="#1b9e77"
              label="memory used, last 10 minutes"
              testId="gpu-spark-memory"
            />
          }
        />
        <Metric
          label="Temperature"
          value={formatTempC(gpu.temperatureC)}
          testId="gpu-card-temp"
          spark={
            <Sparkline
              values={series((s) => s.temperatureC)}
              color="#e0702b"
              label="temperature, last 10 minutes"
              testId="gpu-spark-temp"
            />
          }
        />
        <Metric
          label="Power"
          value={`${formatWatts(gpu.powerDrawW)}${gpu.powerLimitW !== null ? ` of ${formatWatts(gpu.powerLimitW)}` : ''}`}
          testId="gpu-card-power"
          spark={
            <Sparkline
              values={series((s) => s.powerDrawW)}
              min={0}
              max={gpu.powerLimitW ?? undefined}
              color="#c2417d"
              label="power, last 10 minutes"
              testId="gpu-spark-power"
            />
          }
        />
      </dl>
      <p className={styles.clocks} data-testid="gpu-card-clocks">
        Clocks: SM {mhz(gpu.smClockMhz)} · memory {mhz(gpu.memClockMhz)} ·{' '}
        {gpu.fanPct === null ? (
          <span title="nvidia-smi reports no fan: a passively cooled card, or a driver that does not say">
            fan n/a
          </span>
        ) : (
          `fan ${formatPct(gpu.fanPct)}`
        )}
      </p>
      <GpuProcesses processes={processes} jobName={jobName} />
    </section>
  );
}

function Metric({
  label,
  value,
  spark,
  testId,
}: {
  label: string;
  value: string;
  spark: React.ReactNode;
  testId: string;
}) {
  return (
    <div className={styles.metric}>
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
      <div className={styles.spark}>{spark}</div>
    </div>
  );
}

/** The processes nvidia-smi lists on one GPU; a LoRA Studio trainer links to its job. */
function GpuProcesses({
  processes,
  jobName,
}: {
  processes: ReadonlyArray<GpuProcess>;
  jobName: (jobId: string) => string | null;
}) {
  if (processes.length === 0) {
    return (
      <p className={styles.processesNone} data-testid="gpu-card-processes" data-count={0}>
        No processes on this GPU.
      </p>
    );
  }
  return (
    <table className={styles.processes} data-testid="gpu-card-processes" data-count={processes.length}>
      <thead>
        <tr>
          <th scope="col">PID</th>
          <th scope="col">Process</th>
          <th scope="col" className={styles.num}>
            Memory
          </th>
        </tr>
      </thead>
      <tbody>
        {processes.map((p) => (
          <tr key={p.pid} data-testid="gpu-process" data-pid={p.pid} data-job-id={p.jobId ?? undefined}>
            <td className={styles.pid}>{p.pid}</td>
            <td className={styles.processName} title={p.name}>
              {p.jobId === null ? (
                p.name
              ) : (
                <Link to={`/training/jobs/${p.jobId}`}>{jobName(p.jobId) ?? `job ${p.jobId}`} (trainer)</Link>
              )}
            </td>
            <td className={styles.num}>{formatGib(gib(p.usedMemoryMb))}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
