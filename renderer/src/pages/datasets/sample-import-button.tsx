import { Sparkles } from 'lucide-react';
import { Button } from '../../components/button';
import { fractionOf, ProgressBar } from '../../components/progress-bar';
import styles from './datasets.module.css';
import { useSampleImport } from './use-sample-import';

/** One click to a first dataset: imports the sample chat dataset shipped with the app. */
export function SampleImportButton({ onDone }: { onDone?: (datasetId: string) => void }) {
  const { state, start } = useSampleImport(onDone);
  return (
    <div>
      <Button
        variant="primary"
        onClick={() => void start()}
        disabled={state.kind === 'running'}
        data-testid="datasets-import-sample"
      >
        <Sparkles size={14} aria-hidden="true" />{' '}
        {state.kind === 'running' ? 'Importing the sample…' : 'Import the sample dataset'}
      </Button>
      {state.kind === 'running' && (
        <ProgressBar
          value={state.progress ? fractionOf(state.progress.done, state.progress.total) : null}
          label="Sample import progress"
          testId="datasets-import-sample-progress"
        />
      )}
      {state.kind === 'failed' && (
        <p className={styles.error} role="alert" data-testid="datasets-import-sample-error">
          The sample could not be imported: {state.error.message}
        </p>
      )}
    </div>
  );
}
