import { type FormEvent, useEffect, useMemo, useState } from 'react';
import { useNavigate } from 'react-router';
import type {
  ChannelInput,
  ChannelOutput,
  GpuStatus,
  JobRequest,
  ModelInfo,
  TrainerConfig,
  VramEstimate,
} from '../../../../../preload/contract';
import { ApiCallError, toApiError } from '../../../api/api-call-error';
import { useClient } from '../../../api/client-context';
import { useGpuStore } from '../../../state/gpu-store';
import { useTrainingStore } from '../../../state/training-store';
import { type DebouncedCall, useDebouncedCall } from '../use-debounced-call';
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
import { type FrozenVersionOption, useFrozenVersions } from './use-frozen-versions';
import { type PresetChoiceState, type PresetChosenBy, usePresetChoice } from './use-preset-choice';

type EstimateInput = ChannelInput<'training.estimate'>;

/** The form's own fields, whose errors wait for the first Queue attempt (settings errors show at once). */
export const TOP_FIELDS: ReadonlyArray<TopField> = ['name', 'datasetVersionId', 'modelPath', 'gpuIndices'];

/** Everything the new-job form's sections read and do. */
export interface NewJobState {
  readonly draft: JobDraft;
  /** Applies a change and clears the server's errors on the `touched` fields. */
  readonly edit: (patch: Partial<JobDraft>, touched: ReadonlyArray<string>) => void;
  readonly setOverride: (key: SettingKey, value: OverrideValue | undefined) => void;
  /** A preset picked by the person (it stops the suggestion from GPU memory applying). */
  readonly choosePreset: (preset: JobDraft['preset']) => void;
  /** The preset suggested from the GPU's memory, and whether the form follows it. */
  readonly presetChoice: PresetChoiceState;
  /** A GPU (or CPU) choice made by the person, which stops the default from applying. */
  readonly chooseGpus: (choice: Pick<JobDraft, 'gpuIndices' | 'cpu'>) => void;
  readonly errors: DraftErrors;
  readonly formError: string | null;
  readonly creating: boolean;
  /** A failed preflight check blocks queuing. */
  readonly blocked: boolean;
  readonly request: JobRequest | null;
  readonly preflight: DebouncedCall<ChannelOutput<'jobs.preflight'>>;
  readonly inspect: DebouncedCall<ModelInfo>;
  readonly estimate: DebouncedCall<VramEstimate>;
  /** The preset's resolved values (placeholders, estimate inputs); kept while the form is mid-edit. */
  readonly resolved: TrainerConfig | null;
  readonly gpuStatus: GpuStatus | null;
  readonly versionOptions: ReadonlyArray<FrozenVersionOption>;
  readonly advancedOpen: boolean;
  readonly setAdvancedOpen: (open: boolean) => void;
  readonly submit: (event?: FormEvent) => Promise<void>;
  readonly cancel: () => void;
}

/** The new-job form's state: the draft, live preflight and VRAM estimate, and queuing the job. */
export function useNewJob(initial: JobDraft, presetChosenBy: PresetChosenBy = 'auto'): NewJobState {
  const client = useClient();
  const navigate = useNavigate();
  const gpuStatus = useGpuStore((state) => state.status);
  const knownJobs = useTrainingStore((state) => state.jobs);

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
  const [resolved, setResolved] = useState<TrainerConfig | null>(null);
  const latestConfig = preflight.value?.config ?? null;
  useEffect(() => {
    if (latestConfig !== null) setResolved(latestConfig);
  }, [latestConfig]);

  const presetChoice = usePresetChoice(draft, gpuStatus, presetChosenBy, (patch) => edit(patch, ['method']));
  // Before a preflight has resolved the config (no dataset yet), the preset's own values.
  const presetValues = presetChoice.choice.value?.presetSettings[draft.preset] ?? null;
  const setting = <K extends 'max_seq_len' | 'per_device_batch_size' | 'lora_r' | 'gradient_checkpointing'>(
    key: K,
  ) => effectiveSetting(settings, resolved, key) ?? presetValues?.[key];

  const modelPath = draft.modelPath.trim();
  const inspect = useDebouncedCall(
    modelPath === '' ? null : modelPath,
    () => client.call('models.inspect', { path: modelPath }),
    400,
  );
  // JSON round trip: drops the settings that are still undefined, so the key only changes with a value.
  const estimateInput: EstimateInput | null =
    modelPath === ''
      ? null
      : JSON.parse(
          JSON.stringify({
            modelPath,
            seqLen: setting('max_seq_len'),
            batch: setting('per_device_batch_size'),
            rank: setting('lora_r'),
            qlora: effectiveSetting(settings, resolved, 'method') === 'qlora' ? true : undefined,
            gradientCheckpointing: setting('gradient_checkpointing'),
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
  const blocked = preflight.value?.checks.some((check) => check.verdict === 'fail') ?? false;

  const frozen = useFrozenVersions();
  const frozenIds = new Set(frozen.map((v) => v.id));
  const versionOptions = [
    ...frozen,
    ...[...new Set(knownJobs.map((job) => job.datasetVersionId).filter((id) => id !== null))]
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
    if (key === 'method') presetChoice.takeOver();
    const { [key]: _old, ...rest } = draft.overrides;
    edit({ overrides: value === undefined ? rest : { ...rest, [key]: value } }, [key]);
  };
  const choosePreset = (preset: JobDraft['preset']) => {
    presetChoice.takeOver();
    edit({ preset }, []);
  };
  // No GPU is pre-ticked: with none chosen, preflight picks the idle GPU with the most free memory.
  const chooseGpus = (choice: Pick<JobDraft, 'gpuIndices' | 'cpu'>) => edit(choice, ['gpuIndices']);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (creating) return;
    setAttempted(true);
    if (request === null) {
      requestAnimationFrame(() => document.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
      return;
    }
    if (blocked) return;
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

  return {
    draft,
    edit,
    setOverride,
    choosePreset,
    presetChoice,
    chooseGpus,
    errors: shownErrors,
    formError,
    creating,
    blocked,
    request,
    preflight,
    inspect,
    estimate,
    resolved,
    gpuStatus,
    versionOptions,
    advancedOpen,
    setAdvancedOpen,
    submit,
    cancel: () => navigate('/training'),
  };
}
