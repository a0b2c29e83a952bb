import { Link } from 'react-router';
import type { SetupStep } from '../../../../preload/contract';
import { useChannel } from '../../api/use-channel';
import { Button } from '../../components/button';
import { PageHeader } from '../../components/page-header';
import { formatGbFromMb } from '../../format/format';
import { SampleImportButton } from '../datasets/sample-import-button';
import { PythonSetup } from '../settings/python-setup';
import { estimateGbToMb } from '../training/new-job/vram';
import styles from './first-run.module.css';
import { HubDownloadForm, ModelDownload } from './model-download';

/** What each step is about, in the order a person fixes them. */
const STEP_TITLES: Readonly<Record<SetupStep['id'], string>> = {
  gpu: 'GPU and driver',
  python: 'Python environment',
  disk: 'Disk space',
  model: 'Base model',
  dataset: 'Dataset',
};

const VERDICT_LABEL: Readonly<Record<SetupStep['verdict'], string>> = { ok: 'OK', warn: 'Note', fail: 'Fix' };

/** A step's one-click fix (the channel the core offers), or the words and command for a person. */
function StepFix({ step, onFixed }: { step: SetupStep; onFixed: () => void }) {
  const { fix } = step;
  if (fix === null) return null;
  const action = fix.action;
  return (
    <div className={styles.fix} data-testid={`setup-fix-${step.id}`}>
      {action === 'datasets.importSample' && <SampleImportButton onDone={onFixed} />}
      {action === 'python.setup' && <PythonSetup />}
      {action === null && <span>{fix.label}</span>}
      {fix.command !== null && <code>{fix.command}</code>}
    </div>
  );
}

/** The estimate (GB of 10⁹ bytes) in GiB, as the new-job form and nvidia-smi show memory. */
function formatEstimate(gb: number): string {
  return formatGbFromMb(estimateGbToMb(gb));
}

const FIT_LABEL: Readonly<Record<'lora' | 'qlora' | 'none', string>> = {
  lora: 'fits with LoRA',
  qlora: 'fits with QLoRA only',
  none: 'too large for this GPU',
};

/** Sensible first base models with the estimator's VRAM for LoRA and QLoRA, sized to the largest GPU. */
function StartingModels({ online }: { online: boolean | null }) {
  const models = useChannel('setup.startingModels', {}, []);
  if (models.value === null) return null;
  return (
    <section aria-labelledby="setup-models">
      <h2 id="setup-models">Starting models</h2>
      <p className={styles.muted}>
        Estimated VRAM per GPU for the balanced preset (rank 16, all linear layers, 2 × 1024 tokens). Download
        puts one in the Hugging Face cache, where the new-job page finds it; gated ones need the licence
        accepted on the Hub and a login (<code>huggingface-cli login</code>).
        {online === false &&
          ' This machine did not reach the Hub: download elsewhere (python -m lora_trainer download ID) and copy the model folder here.'}
      </p>
      <table className={styles.models} data-testid="starting-models">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">LoRA</th>
            <th scope="col">QLoRA</th>
            <th scope="col">This machine</th>
            <th scope="col">Download</th>
          </tr>
        </thead>
        <tbody>
          {models.value.map((m) => (
            <tr key={m.id} data-testid="starting-model" data-fit={m.fit ?? 'unknown'}>
              <td title={m.id}>
                {m.label}
                {m.gated ? ' (gated)' : ''}
              </td>
              <td>{formatEstimate(m.loraGb)}</td>
              <td>{formatEstimate(m.qloraGb)}</td>
              <td>{m.fit === null ? 'no GPU detected' : FIT_LABEL[m.fit]}</td>
              <td>
                <ModelDownload repoId={m.id} online={online} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <HubDownloadForm online={online} />
    </section>
  );
}

/**
 * The first-run guide: each thing a first adapter needs (GPU, Python, disk, base model, dataset)
 * with its verdict and its fix, then the way to a first job.
 */
export function FirstRunPage() {
  const report = useChannel('setup.check', {}, ['datasets', 'settings', 'models']);
  const steps = report.value?.steps ?? [];
  return (
    <div data-testid="page-setup">
      <PageHeader
        title="Get started"
        description="What a first LoRA adapter needs on this machine, checked step by step, each with its fix."
        actions={
          <Button onClick={report.reload} disabled={report.loading} data-testid="setup-recheck">
            Check again
          </Button>
        }
      />
      {report.error !== null && (
        <p role="alert" data-testid="setup-error">
          The checks could not run: {report.error.message}
        </p>
      )}
      {report.value === null && report.error === null && (
        <p className={styles.muted} data-testid="setup-loading">
          Checking the GPU, Python, disk, models and datasets…
        </p>
      )}
      <ol className={styles.steps}>
        {steps.map((step) => (
          <li
            key={step.id}
            className={styles.step}
            data-testid={`setup-step-${step.id}`}
            data-verdict={step.verdict}
          >
            <span className={`${styles.verdict} ${styles[step.verdict]}`}>{VERDICT_LABEL[step.verdict]}</span>
            <div>
              <p className={styles.title}>{STEP_TITLES[step.id]}</p>
              <p className={styles.message} data-testid={`setup-message-${step.id}`}>
                {step.message}
              </p>
              <StepFix step={step} onFixed={report.reload} />
            </div>
          </li>
        ))}
      </ol>
      <StartingModels online={report.value?.online ?? null} />
      {report.value !== null && (
        <section aria-labelledby="setup-next">
          <h2 id="setup-next">Your first job</h2>
          <ol className={styles.next}>
            <li>
              Dataset: the sample (or your own file) from the Datasets page; it is frozen for you when the job
              is queued.
            </li>
            <li>Base model: pick one the new-job page found, or the folder of one on this disk.</li>
            <li>Preset: the new-job page picks one that fits the GPU's memory; the estimate says why.</li>
            <li>
              Preflight: runs by itself as you choose, and names what would fail before anything starts.
            </li>
            <li>Run: queue it, watch the loss, and find the adapter under Models when it completes.</li>
          </ol>
          <Link to="/training/new" data-testid="setup-new-job">
            Start a first job
          </Link>
        </section>
      )}
    </div>
  );
}
