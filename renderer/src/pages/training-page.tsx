import { FlaskConical } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';
import { useGpuStore } from '../state/gpu-store';

/** Training: an honest empty state until the training page lands; says if this machine can train. */
export function TrainingPage() {
  const gpuState = useGpuStore((state) => state.status?.state);
  const noGpu = gpuState === 'no-gpu' || gpuState === 'no-nvidia-smi';
  return (
    <div data-testid="page-training">
      <PageHeader
        title="Training"
        description="LoRA and QLoRA runs on this machine's GPUs, queued and watched live."
      />
      <EmptyState icon={FlaskConical} title="No training runs yet" testId="training-empty">
        <p>
          A run needs an imported dataset and a base model folder (with <code>config.json</code> and a
          tokenizer). Starting runs from this window is coming with the training page.
        </p>
        <p>
          From a terminal: <code>lora-studio jobs create --dataset ID --model DIR --wait</code>
        </p>
        {noGpu && (
          <p data-testid="training-no-gpu">
            This machine has no NVIDIA GPU that LoRA Studio can use, so runs cannot start here. Check the
            driver with <code>nvidia-smi</code>, or run checks in Settings.
          </p>
        )}
      </EmptyState>
    </div>
  );
}
