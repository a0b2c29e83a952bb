import { useState } from 'react';
import { useNavigate } from 'react-router';
import type { DatasetDetail } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { formatCount } from '../../format/format';
import styles from './dataset-page.module.css';
import { useDatasetsLoaders } from './datasets-section';
import { DedupeDialog } from './dedupe-dialog';
import { FreezeDialog } from './freeze-dialog';
import { SplitDialog } from './split-dialog';

/** The dialogs the dataset page's actions open. */
export type DatasetDialogKind = 'dedupe' | 'split' | 'freeze' | 'delete';

/** What the dialogs do to the rest of the page when they are done. */
export interface DatasetDialogHandlers {
  readonly onClose: () => void;
  /** Rows or counts changed: refetch the dataset and its visible rows. */
  readonly onChanged: () => void;
  /** Show only the duplicate rows (from the dedupe dialog). */
  readonly onShowDuplicates: () => void;
  /** A version was frozen: show the versions. */
  readonly onFrozen: () => void;
}

/** The open dialog of the dataset page, if any. */
export function DatasetDialog({
  kind,
  dataset,
  handlers,
}: {
  kind: DatasetDialogKind;
  dataset: DatasetDetail;
  handlers: DatasetDialogHandlers;
}) {
  switch (kind) {
    case 'dedupe':
      return (
        <DedupeDialog
          datasetId={dataset.id}
          onClose={handlers.onClose}
          onApplied={handlers.onChanged}
          onShowDuplicates={handlers.onShowDuplicates}
        />
      );
    case 'split':
      return (
        <SplitDialog
          datasetId={dataset.id}
          current={dataset.stats.split}
          onClose={handlers.onClose}
          onApplied={handlers.onChanged}
        />
      );
    case 'freeze':
      return (
        <FreezeDialog
          datasetId={dataset.id}
          valid={dataset.stats.valid}
          onClose={handlers.onClose}
          onFrozen={handlers.onFrozen}
        />
      );
    case 'delete':
      return <DeleteDatasetDialog dataset={dataset} onClose={handlers.onClose} />;
  }
}

/** Confirms deleting the dataset with what goes (rows, versions) and what stays (the source file). */
function DeleteDatasetDialog({ dataset, onClose }: { dataset: DatasetDetail; onClose: () => void }) {
  const client = useClient();
  const navigate = useNavigate();
  const loaders = useDatasetsLoaders();
  const [error, setError] = useState<string | null>(null);

  const deleteDataset = async () => {
    try {
      await client.call('datasets.delete', { id: dataset.id });
      void loaders.list();
      navigate('/datasets');
    } catch (caught) {
      setError(toApiError(caught).message);
    }
  };

  return (
    <Dialog
      title={`Delete "${dataset.name}"?`}
      size="small"
      onClose={onClose}
      testId="delete-dataset-dialog"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" onClick={deleteDataset} data-testid="delete-dataset-confirm">
            Delete dataset
          </Button>
        </>
      }
    >
      <p>
        This removes the dataset, its {formatCount(dataset.stats.rows)} rows and its{' '}
        {dataset.versionList.length} frozen versions from this data folder. The source file on disk is not
        touched.
      </p>
      {error !== null && (
        <p className={styles.errorText} role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
