import { FlaskConical, FolderInput, GitCompare, Plus } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { useGpuStore } from '../../state/gpu-store';
import { useTrainingStore } from '../../state/training-store';
import { MAX_COMPARE } from './compare/compare-model';
import { ImportRunDialog } from './import-run-dialog';
import { JobTable } from './job-table';
import styles from './training-page.module.css';

/** Training: every job with live progress; "New job" (N, anywhere: shell/use-global-shortcuts) opens the form. */
export function TrainingPage() {
  const navigate = useNavigate();
  const { jobs, loaded, error } = useTrainingStore();
  const gpuState = useGpuStore((state) => state.status?.state);
  const noGpu = gpuState === 'no-gpu' || gpuState === 'no-nvidia-smi';
  const [importing, setImporting] = useState(false);
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const toggle = (id: string) =>
    setPicked((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const pickedIds = jobs.filter((job) => picked.has(job.id)).map((job) => job.id);
  const canCompare = pickedIds.length >= 2 && pickedIds.length <= MAX_COMPARE;

  return (
    <div data-testid="page-training">
      <PageHeader
        title="Training"
        description="LoRA and QLoRA runs on this machine's GPUs, queued and watched live."
        actions={
          <span className={styles.actions}>
            {jobs.length > 1 && (
              <Button
                onClick={() => navigate(`/training/compare?ids=${pickedIds.join(',')}`)}
                disabled={!canCompare}
                data-testid="training-compare"
                title={
                  canCompare ? 'Compare the ticked runs' : `Tick 2 to ${MAX_COMPARE} runs to compare them`
                }
              >
                <GitCompare size={14} aria-hidden="true" />
                Compare{pickedIds.length > 0 ? ` (${pickedIds.length})` : ''}
              </Button>
            )}
            <Button
              onClick={() => setImporting(true)}
              data-testid="training-import-run"
              title="Import a run from elsewhere"
            >
              <FolderInput size={14} aria-hidden="true" />
              Import run
            </Button>
            <Button
              variant="primary"
              onClick={() => navigate('/training/new')}
              data-testid="training-new"
              aria-keyshortcuts="N"
              title="New job (N)"
            >
              <Plus size={14} aria-hidden="true" />
              New job
            </Button>
          </span>
        }
      />
      {importing && (
        <ImportRunDialog
          onClose={() => setImporting(false)}
          onImported={(job) => navigate(`/training/jobs/${job.id}`)}
        />
      )}
      {error !== null && (
        <p className={styles.error} role="alert" data-testid="training-list-error">
          Jobs could not be loaded: {error.message}
        </p>
      )}
      {noGpu && jobs.length > 0 && (
        <p className={styles.notice} data-testid="training-no-gpu">
          This machine has no NVIDIA GPU that LoRA Studio can use: jobs train on the CPU, which suits only
          tiny models and tests.
        </p>
      )}
      {jobs.length > 0 ? (
        <JobTable jobs={jobs} selected={picked} onToggle={toggle} />
      ) : (
        (loaded || error !== null) && (
          <EmptyState icon={FlaskConical} title="No training runs yet" testId="training-empty">
            <p>
              A run needs a frozen dataset version and a base model folder (with <code>config.json</code> and
              a tokenizer). <Link to="/training/new">Create a job</Link> — or press <kbd>N</kbd>.
            </p>
            <p>
              From a terminal: <code>lora-studio jobs create --dataset ID --model DIR --wait</code>
            </p>
            {noGpu && (
              <p data-testid="training-no-gpu">
                This machine has no NVIDIA GPU that LoRA Studio can use, so runs train on the CPU (only for
                tiny models and tests). Check the driver with <code>nvidia-smi</code>, or run checks in{' '}
                <Link to="/settings">Settings</Link>.
              </p>
            )}
          </EmptyState>
        )
      )}
    </div>
  );
}
