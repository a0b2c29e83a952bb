import { CircleCheck, RefreshCw, TriangleAlert } from 'lucide-react';
import type { DoctorReport } from '../../../../preload/contract';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { formatDateTime, formatGb, formatGbFromMb } from '../../format/format';
import { runDoctor, useDoctorStore } from '../../state/doctor-store';
import styles from './settings-page.module.css';

const PYTHON_SOURCE: Readonly<Record<DoctorReport['python']['source'], string>> = {
  env: 'from the environment',
  setting: 'from Settings',
  path: 'found on PATH',
  none: 'not found',
};

/** One line about the interpreter the doctor found, for under the Python field. */
export function DetectedPython() {
  const { report, running, error } = useDoctorStore();
  if (report === null) {
    return (
      <span className={styles.help} data-testid="settings-python-detected">
        {running
          ? 'Looking for Python…'
          : error !== null
            ? `Checks failed: ${error.message}`
            : 'Run checks to detect it.'}
      </span>
    );
  }
  const python = report.python;
  return (
    <span className={styles.help} data-testid="settings-python-detected">
      {python.path === null ? (
        <>No Python interpreter found.</>
      ) : (
        <>
          Detected <code>{python.path}</code>
          {python.version !== null && <> · Python {python.version}</>} · {PYTHON_SOURCE[python.source]}
        </>
      )}
      {python.problem !== null && <span className={styles.warnText}> — {python.problem}</span>}
    </span>
  );
}

/** "Run checks" and the doctor's report: GPUs, driver, CUDA, disk, memory, Python, problems. */
export function DoctorPanel() {
  const client = useClient();
  const { report, running, error, ranAt } = useDoctorStore();
  return (
    <section className={styles.card} aria-labelledby="doctor-heading" data-testid="doctor-panel">
      <div className={styles.cardHead}>
        <div>
          <h2 id="doctor-heading" className={styles.cardTitle}>
            System checks
          </h2>
          <p className={styles.help}>
            {ranAt === null
              ? 'What LoRA Studio finds on this machine.'
              : `Last run ${formatDateTime(ranAt)}.`}
          </p>
        </div>
        <Button onClick={() => void runDoctor(client)} disabled={running} data-testid="doctor-run">
          <RefreshCw size={13} className={running ? styles.spin : undefined} aria-hidden="true" />
          {running ? 'Running checks…' : 'Run checks'}
        </Button>
      </div>
      {error !== null && (
        <p className={styles.formError} role="alert" data-testid="doctor-error">
          Checks failed: {error.message}
        </p>
      )}
      {report !== null && <DoctorReportView report={report} />}
    </section>
  );
}

function DoctorReportView({ report }: { report: Readonly<DoctorReport> }) {
  const { gpu, disk, memory, python, cpu, app, sqlite } = report;
  return (
    <div data-testid="doctor-report" aria-busy={false}>
      <dl className={styles.facts}>
        <dt>GPUs</dt>
        <dd data-testid="doctor-gpus">
          {gpu.gpus.length === 0
            ? `No NVIDIA GPU${gpu.message !== null ? ` — ${gpu.message}` : ''}`
            : gpu.gpus.map((item) => (
                <div key={item.index}>
                  GPU{item.index} {item.name} · {formatGbFromMb(item.memoryTotalMb)}
                </div>
              ))}
        </dd>
        <dt>Driver</dt>
        <dd>{gpu.driverVersion ?? '–'}</dd>
        <dt>CUDA</dt>
        <dd>{gpu.cudaVersion ?? '–'}</dd>
        <dt>Disk free</dt>
        <dd data-testid="doctor-disk">
          {formatGb(disk.freeGb)} of {formatGb(disk.totalGb)} at <code>{disk.path}</code>
        </dd>
        <dt>Memory</dt>
        <dd>
          {formatGbFromMb(memory.freeMb)} free of {formatGbFromMb(memory.totalMb)}
        </dd>
        <dt>CPU</dt>
        <dd>
          {cpu.model} · {cpu.cores} cores
        </dd>
        <dt>Python</dt>
        <dd data-testid="doctor-python">
          {python.path === null ? 'not found' : <code>{python.path}</code>}
          {python.version !== null && <> · {python.version}</>} · {PYTHON_SOURCE[python.source]}
          {python.problem !== null && <div className={styles.warnText}>{python.problem}</div>}
        </dd>
        <dt>Packages</dt>
        <dd data-testid="doctor-packages">
          {report.packages === null
            ? 'unknown (the trainer could not be asked)'
            : `torch ${report.packages.torch ?? 'missing'}${report.packages.cuda ? ` (CUDA ${report.packages.cuda})` : ''} · transformers ${report.packages.transformers ?? 'missing'} · peft ${report.packages.peft ?? 'missing'}`}
        </dd>
        <dt>App</dt>
        <dd>
          v{app.version} · Node {app.node} · {app.platform}/{app.arch} · SQLite {sqlite.version}
        </dd>
      </dl>
      {report.problems.length === 0 ? (
        <p className={styles.ok} data-testid="doctor-problems">
          <CircleCheck size={14} aria-hidden="true" /> No problems found.
        </p>
      ) : (
        <ul className={styles.problems} data-testid="doctor-problems" aria-label="Problems">
          {report.problems.map((problem) => (
            <li key={problem}>
              <TriangleAlert size={14} aria-hidden="true" />
              {problem}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
