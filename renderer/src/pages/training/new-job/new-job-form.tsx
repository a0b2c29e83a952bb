import { Play } from 'lucide-react';
import { type FormEvent, type KeyboardEvent, useEffect, useId, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type { ChannelInput, TrainerConfig } from '../../../../../preload/contract';
import { ApiCallError, toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { Button } from '../../../components/button';
import { IS_MAC } from '../../../shell/nav-items';
import { useGpuStore } from '../../../state/gpu-store';
import { useTrainingStore } from '../../../state/training-store';
import { useDebouncedCall } from '../use-debounced-call';
import { AdvancedSettings } from './advanced-settings';
import { GpuPicker } from './gpu-picker';
import {
  type DraftErrors,
  effectiveSetting,
  errorsFromApiError,
  type JobDraft,
  type OverrideValue,
  requestFromDraft,
  type TopField,
} from './job-draft';
import type { SettingKey } from './job-settings-fields';
import { ModelInfoView, ScannedModels } from './model-field';
import styles from './new-job.module.css';
import { PreflightPanel } from './preflight-panel';
import { PresetCards } from './preset-cards';
import { useFrozenVersions } from './use-frozen-versions';
import { minFreeMb } from './vram';
import { VramEstimatePanel } from './vram-estimate';

type EstimateInput = ChannelInput<'training.estimate'>;

const TOP_FIELDS: ReadonlyArray<TopField> = ['name', 'datasetVersionId', 'modelPath', 'gpuIndices'];

/** The new-job form: data, model, preset, advanced settings, GPUs; live estimate and preflight. */
export function NewJobForm({ initial }: { initial: JobDraft }) {
  const client = useClient();
  const navigate = useNavigate();
  const gpuStatus = useGpuStore((state) => state.status);
  const knownVersions = useTrainingStore((state) => state.jobs);
  const ids = { name: useId(), dataset: useId(), model: useId(), versions: useId() };

  const [draft, setDraft] = useState(initial);
  const [attempted, setAttempted] = useState(false);
  const [serverErrors, setServerErrors] = useState<DraftErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [advancedOpen, setAdvancedOpen] = useState(Object.keys(initial.overrides).length > 0);

  const { request, errors, settings } = useMemo(() => requestFromDraft(draft), [draft]);
  const preflight = useDebouncedCall(
    request === null ? null : JSON.stringify(request),
    () => client.call('jobs.preflight', request!),
    600,
  );
  // The preset's resolved values (placeholders, estimate inputs) stay while the form is mid-edit.
  const [resolved, setResolved] = useState<TrainerConfig | null>(null);
  const latestConfig = preflight.value?.config ?? null;
  useEffect(() => {
    if (latestConfig !== null) setResolved(latestConfig);
  }, [latestConfig]);

  const modelPath = draft.modelPath.trim();
  const inspect = useDebouncedCall(
    modelPath === '' ? null : modelPath,
    () => client.call('models.inspect', { path: modelPath }),
    400,
  );
  const estimateInput: EstimateInput | null =
    modelPath === ''
      ? null
      : JSON.parse(
          JSON.stringify({
            modelPath,
            seqLen: effectiveSetting(settings, resolved, 'max_seq_len'),
            batch: effectiveSetting(settings, resolved, 'per_device_batch_size'),
            rank: effectiveSetting(settings, resolved, 'lora_r'),
            qlora: effectiveSetting(settings, resolved, 'method') === 'qlora' ? true : undefined,
            gradientCheckpointing: effectiveSetting(settings, resolved, 'gradient_checkpointing'),
          }),
        );
  const estimate = useDebouncedCall(
    estimateInput === null ? null : JSON.stringify(estimateInput),
    () => client.call('training.estimate', estimateInput!),
    400,
  );

  const shownErrors: DraftErrors = {
    ...Object.fromEntries(
      Object.entries(errors).filter(([key]) => attempted || !TOP_FIELDS.includes(key as TopField)),
    ),
    ...serverErrors,
  };
  const hasFail = preflight.value?.checks.some((check) => check.verdict === 'fail') ?? false;
  const frozen = useFrozenVersions();
  const frozenIds = new Set(frozen.map((v) => v.id));
  const versionOptions = [
    ...frozen,
    ...[...new Set(knownVersions.map((job) => job.datasetVersionId).filter((id) => id !== null))]
      .filter((id) => !frozenIds.has(id))
      .map((id) => ({ id, label: 'used by an earlier job' })),
  ];

  const edit = (patch: Partial<JobDraft>, touched: ReadonlyArray<string>) => {
    setDraft((current) => ({ ...current, ...patch }));
    setServerErrors((current) =>
      Object.fromEntries(Object.entries(current).filter(([key]) => !touched.includes(key))),
    );
    setFormError(null);
  };
  const setOverride = (key: SettingKey, value: OverrideValue | undefined) => {
    const { [key]: _old, ...rest } = draft.overrides;
    edit({ overrides: value === undefined ? rest : { ...rest, [key]: value } }, [key]);
  };

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (creating) return;
    setAttempted(true);
    if (request === null) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (hasFail) return;
    setCreating(true);
    setFormError(null);
    try {
      const job = await client.call('jobs.create', request);
      navigate(`/training/jobs/${job.id}`);
    } catch (caught) {
      if (caught instanceof ApiCallError && caught.code === 'BAD_INPUT') {
        const placed = errorsFromApiError(caught.toApiError());
        setServerErrors(placed.fields);
        setFormError(placed.form);
        if (Object.keys(placed.fields).some((key) => !TOP_FIELDS.includes(key as TopField)))
          setAdvancedOpen(true);
      } else {
        setFormError(toApiError(caught).message);
      }
      preflight.rerun();
    } finally {
      setCreating(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLFormElement>) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter') {
      event.preventDefault();
      void submit();
    }
  };

  const invalid = (key: TopField) =>
    shownErrors[key] === undefined
      ? { 'aria-invalid': false as const }
      : { 'aria-invalid': true as const, 'aria-describedby': `${key}-error` };
  const fieldError = (key: TopField) =>
    shownErrors[key] !== undefined && (
      <span id={`${key}-error`} className={styles.fieldError} data-testid={`job-${key}-error`}>
        {shownErrors[key]}
      </span>
    );
  const overriddenCount = Object.keys(draft.overrides).length;

  return (
    <form className={styles.layout} onSubmit={submit} onKeyDown={onKeyDown} noValidate data-testid="job-form">
      <div className={styles.column}>
        <section className={styles.card} aria-labelledby="job-run-heading">
          <div className={styles.cardHead}>
            <h2 id="job-run-heading" className={styles.cardTitle}>
              Data and model
            </h2>
          </div>
          <div className={styles.rows}>
            <div className={styles.row}>
              <label htmlFor={ids.name} className={styles.label}>
                Name
              </label>
              <div className={styles.control}>
                <input
                  id={ids.name}
                  className={styles.input}
                  value={draft.name}
                  placeholder="Named after the model and dataset when empty"
                  onChange={(event) => edit({ name: event.target.value }, ['name'])}
                  data-testid="job-name"
                  {...invalid('name')}
                />
                {fieldError('name')}
              </div>
            </div>
            <div className={styles.row}>
              <label htmlFor={ids.dataset} className={styles.label}>
                Dataset version
              </label>
              <div className={styles.control}>
                <input
                  id={ids.dataset}
                  className={`${styles.input} ${styles.mono}`}
                  value={draft.datasetVersionId}
                  list={ids.versions}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="id of a frozen version"
                  onChange={(event) => edit({ datasetVersionId: event.target.value }, ['datasetVersionId'])}
                  data-testid="job-dataset-version"
                  {...invalid('datasetVersionId')}
                />
                <datalist id={ids.versions}>
                  {versionOptions.map((v) => (
                    <option key={v.id} value={v.id} label={v.label} />
                  ))}
                </datalist>
                {fieldError('datasetVersionId') || (
                  <span className={styles.help}>
                    Pick a frozen version (freeze one on the dataset's page), or paste its id from{' '}
                    <code>lora-studio datasets show ID</code>.
                  </span>
                )}
              </div>
            </div>
            <div className={styles.row}>
              <label htmlFor={ids.model} className={styles.label}>
                Base model folder
              </label>
              <div className={styles.control}>
                <input
                  id={ids.model}
                  className={`${styles.input} ${styles.mono}`}
                  value={draft.modelPath}
                  spellCheck={false}
                  autoComplete="off"
                  placeholder="/path/to/model (config.json + tokenizer)"
                  onChange={(event) => edit({ modelPath: event.target.value }, ['modelPath'])}
                  data-testid="job-model-path"
                  {...invalid('modelPath')}
                />
                {fieldError('modelPath')}
                <ModelInfoView inspect={inspect} />
                <ScannedModels
                  selected={modelPath}
                  onPick={(path) => edit({ modelPath: path }, ['modelPath'])}
                />
              </div>
            </div>
          </div>
        </section>

        <section className={styles.card} aria-labelledby="job-preset-heading">
          <div className={styles.cardHead}>
            <h2 id="job-preset-heading" className={styles.cardTitle}>
              Preset
            </h2>
          </div>
          <PresetCards value={draft.preset} onChange={(preset) => edit({ preset }, [])} resolved={resolved} />
        </section>

        <section className={styles.card} aria-labelledby="job-gpus-heading">
          <div className={styles.cardHead}>
            <h2 id="job-gpus-heading" className={styles.cardTitle}>
              GPUs
            </h2>
          </div>
          <GpuPicker
            status={gpuStatus}
            selected={draft.gpuIndices}
            cpu={draft.cpu}
            autoChoice={preflight.value?.devices?.chosenBy === 'auto' ? preflight.value.devices.note : null}
            onChange={(choice) => edit(choice, ['gpuIndices'])}
          />
          {fieldError('gpuIndices')}
        </section>

        <details
          className={styles.card}
          open={advancedOpen}
          onToggle={(event) => setAdvancedOpen(event.currentTarget.open)}
          data-testid="job-advanced"
        >
          <summary className={styles.summary}>
            Advanced{' '}
            <span className={styles.muted}>
              — {overriddenCount === 0 ? 'all from the preset' : `${overriddenCount} changed from the preset`}
            </span>
          </summary>
          <AdvancedSettings
            overrides={draft.overrides}
            resolved={resolved}
            errors={shownErrors}
            onChange={setOverride}
          />
        </details>
      </div>

      <aside className={styles.side} aria-label="Checks">
        <VramEstimatePanel
          estimate={estimate}
          freeMb={gpuStatus === null || draft.cpu ? null : minFreeMb(gpuStatus.gpus, draft.gpuIndices)}
          gpuCount={Math.max(1, draft.gpuIndices.length)}
        />
        <PreflightPanel preflight={preflight} ready={request !== null} />
        <div className={`${styles.card} ${styles.submit}`}>
          {formError !== null && (
            <p className={styles.formError} role="alert" data-testid="job-create-error">
              {formError}
            </p>
          )}
          <div className={styles.submitRow}>
            <Button variant="ghost" onClick={() => navigate('/training')}>
              Cancel
            </Button>
            <Button
              type="submit"
              variant="primary"
              disabled={creating || hasFail}
              data-testid="job-queue"
              aria-keyshortcuts={IS_MAC ? 'Meta+Enter' : 'Control+Enter'}
              title={
                hasFail
                  ? 'Fix the failed preflight checks first'
                  : `Queue job (${IS_MAC ? '⌘' : 'Ctrl+'}Enter)`
              }
            >
              <Play size={13} aria-hidden="true" />
              {creating ? 'Queuing…' : 'Queue job'}
            </Button>
          </div>
          {hasFail && (
            <span className={styles.help}>
              A failed preflight check blocks queuing; fix it and the checks run again.
            </span>
          )}
        </div>
      </aside>
    </form>
  );
}
