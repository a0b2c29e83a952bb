import { useEffect, useRef, useState } from 'react';
import type { GpuStatus, PresetChoice } from '../../../../../preload/contract';
import { useClient } from '../../../api/client-context';
import { type DebouncedCall, useDebouncedCall } from '../use-debounced-call';
import type { JobDraft } from './job-draft';
import { minFreeMb } from './vram';

/** Who set the preset: the rule (from the GPU's memory) or the person (a click, a clone). */
export type PresetChosenBy = 'auto' | 'person';

/** The suggested preset for the draft's model and GPUs, and whether the form still follows it. */
export interface PresetChoiceState {
  readonly choice: DebouncedCall<PresetChoice>;
  readonly chosenBy: PresetChosenBy;
  /** The person picked a preset (or a method): stop following the suggestion. */
  readonly takeOver: () => void;
  /** Follow the suggestion again (and apply it now). */
  readonly follow: () => void;
}

/**
 * Asks `setup.presetChoice` whenever the model or the GPU choice changes (not on every telemetry
 * tick: the free memory is read at that moment) and, while the person has not chosen, applies it:
 * the preset, and `method: qlora` when only QLoRA fits (removed again when LoRA fits).
 */
export function usePresetChoice(
  draft: JobDraft,
  gpuStatus: GpuStatus | null,
  initialChosenBy: PresetChosenBy,
  apply: (patch: Pick<JobDraft, 'preset' | 'overrides'>) => void,
): PresetChoiceState {
  const client = useClient();
  const [chosenBy, setChosenBy] = useState<PresetChosenBy>(initialChosenBy);
  const modelPath = draft.modelPath.trim();
  // The GPU count, not the readings: the first sample (GPUs found) re-asks, later ticks do not.
  const detected = gpuStatus?.gpus.length ?? -1;
  const key =
    modelPath === '' ? null : JSON.stringify({ modelPath, gpus: draft.gpuIndices, cpu: draft.cpu, detected });
  const latest = useRef({ draft, gpuStatus });
  latest.current = { draft, gpuStatus };
  const choice = useDebouncedCall(
    key,
    () => {
      const { draft: now, gpuStatus: status } = latest.current;
      const freeMb = status === null || now.cpu ? null : minFreeMb(status.gpus, now.gpuIndices);
      return client.call('setup.presetChoice', { modelPath, freeMb });
    },
    400,
  );

  const value = choice.value;
  const applied = useRef<string | null>(null);
  useEffect(() => {
    if (value === null || chosenBy !== 'auto' || choice.pending) return;
    const stamp = `${choice.key}|${value.preset}|${value.method}`;
    if (applied.current === stamp) return;
    applied.current = stamp;
    const { method: _method, ...rest } = latest.current.draft.overrides;
    apply({
      preset: value.preset,
      overrides: value.method === 'qlora' ? { ...rest, method: 'qlora' } : rest,
    });
  }, [value, chosenBy, choice.pending, choice.key, apply]);

  return {
    choice,
    chosenBy,
    takeOver: () => setChosenBy('person'),
    follow: () => {
      applied.current = null;
      setChosenBy('auto');
    },
  };
}
