import { Boxes } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';

/** Models: an honest empty state until the adapter library lands. */
export function ModelsPage() {
  return (
    <div data-testid="page-models">
      <PageHeader title="Models" description="LoRA adapters from finished runs, ready to merge or export." />
      <EmptyState icon={Boxes} title="No adapters yet" testId="models-empty">
        <p>Each training run that completes puts its adapter here. The adapter library is coming.</p>
        <p>
          From a terminal: <code>lora-studio models list</code>
        </p>
      </EmptyState>
    </div>
  );
}
