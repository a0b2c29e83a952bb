import { Database } from 'lucide-react';
import { EmptyState } from '../components/empty-state';
import { PageHeader } from '../components/page-header';

/** Datasets: an honest empty state until dataset import lands in the app. */
export function DatasetsPage() {
  return (
    <div data-testid="page-datasets">
      <PageHeader title="Datasets" description="Curate the rows a LoRA adapter is trained on." />
      <EmptyState icon={Database} title="No datasets yet" testId="datasets-empty">
        <p>
          Import a JSONL, JSON, CSV or Parquet file — importing from this window is coming with dataset
          import.
        </p>
        <p>
          From a terminal: <code>lora-studio datasets import FILE</code>
        </p>
      </EmptyState>
    </div>
  );
}
