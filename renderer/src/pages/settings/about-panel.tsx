import { useEffect, useRef } from 'react';
import { useLocation } from 'react-router';
import type { DoctorReport } from '../../../../preload/contract';
import { useAppInfoStore } from '../../state/app-info-store';
import { useDoctorStore } from '../../state/doctor-store';
import styles from './settings-page.module.css';

/** One version line of the About panel: its value, or why there is none, in words. */
interface VersionRow {
  readonly id: string;
  readonly label: string;
  readonly value: string;
  /** False when the thing is missing or unknown (styled as a warning, and testable). */
  readonly present: boolean;
}

/**
 * The trainer's side of the versions, from the doctor's report: Python, torch, transformers, peft and
 * the CUDA build torch was compiled for. "not installed" plainly when it is not; "unknown" (with why)
 * when the trainer's Python could not be asked.
 */
export function trainerVersions(report: Readonly<DoctorReport> | null, running: boolean): VersionRow[] {
  const pending = report === null ? (running ? 'checking…' : 'not checked yet') : null;
  const noPython = report !== null && (report.python.path === null || report.python.version === null);
  const row = (id: string, label: string, version: string | null | undefined): VersionRow => {
    if (pending !== null) return { id, label, value: pending, present: false };
    if (noPython)
      return {
        id,
        label,
        value: id === 'python' ? 'not installed' : 'not installed (no Python)',
        present: false,
      };
    if (version === undefined)
      return { id, label, value: "unknown: the trainer's Python could not be asked", present: false };
    return version === null
      ? { id, label, value: 'not installed', present: false }
      : { id, label, value: version, present: true };
  };
  const packages = report?.packages ?? null;
  const pkg = (name: 'torch' | 'transformers' | 'peft') => (packages === null ? undefined : packages[name]);
  const torch = pkg('torch');
  const cuda =
    packages === null
      ? undefined
      : torch === null
        ? null
        : (packages.cuda ?? 'none (a CPU-only torch build)');
  return [
    row('python', 'Python', report?.python.version ?? null),
    row('torch', 'torch', torch),
    row('transformers', 'transformers', pkg('transformers')),
    row('peft', 'peft', pkg('peft')),
    row('cuda', 'CUDA (torch build)', cuda),
  ];
}

/** About LoRA Studio: the app's version and the versions of everything it runs on. */
export function AboutPanel() {
  const info = useAppInfoStore((state) => state.info);
  const { report, running } = useDoctorStore();
  // `/settings#about` (the Help menu's About item) brings the panel into view.
  const { hash } = useLocation();
  const section = useRef<HTMLElement>(null);
  useEffect(() => {
    const panel = section.current;
    const layout = panel?.parentElement;
    if (hash !== '#about' || !panel || !layout) return;
    // The panels above it grow as settings and the system checks load: keep it in view as they do,
    // until the person scrolls or acts themselves.
    const bring = () => panel.scrollIntoView({ block: 'start' });
    const observer = new ResizeObserver(bring);
    observer.observe(layout);
    bring();
    const release = () => stop();
    const events = ['wheel', 'pointerdown', 'keydown', 'touchstart'] as const;
    const stop = () => {
      observer.disconnect();
      for (const name of events) window.removeEventListener(name, release);
    };
    for (const name of events) window.addEventListener(name, release, { passive: true });
    return stop;
  }, [hash]);
  const rows: VersionRow[] = [
    { id: 'app', label: 'LoRA Studio', value: info === null ? '–' : info.version, present: info !== null },
    ...(info?.electron != null
      ? [{ id: 'electron', label: 'Electron', value: info.electron, present: true }]
      : []),
    {
      id: 'node',
      label: 'Node',
      value:
        report === null ? (running ? 'checking…' : 'not checked yet') : report.app.node.replace(/^v/, ''),
      present: report !== null,
    },
    ...trainerVersions(report, running),
    {
      id: 'driver-cuda',
      label: 'CUDA (driver)',
      value:
        report === null ? '–' : (report.gpu.cudaVersion ?? 'no NVIDIA driver (nvidia-smi did not answer)'),
      present: report?.gpu.cudaVersion != null,
    },
  ];
  return (
    <section
      ref={section}
      id="about"
      className={styles.card}
      aria-labelledby="about-heading"
      data-testid="about-panel"
    >
      <div className={styles.cardHead}>
        <div>
          <h2 id="about-heading" className={styles.cardTitle}>
            About
          </h2>
          <p className={styles.help}>
            {info === null ? '' : `${info.name} in ${SHELL[info.shell]}. `}Versions for bug reports; the
            trainer's come from the system checks above.
          </p>
        </div>
      </div>
      <dl className={styles.facts}>
        {rows.map((r) => (
          <div key={r.id} className={styles.factRow}>
            <dt>{r.label}</dt>
            <dd
              className={r.present ? undefined : styles.warnText}
              data-testid={`about-${r.id}`}
              data-present={r.present}
            >
              {r.value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const SHELL = { electron: 'the desktop app', serve: 'browser mode', cli: 'the CLI', test: 'a test' } as const;
