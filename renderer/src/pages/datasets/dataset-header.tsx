import { ArrowLeft, Copy, Scissors, Snowflake, Trash2 } from 'lucide-react';
import { Link } from 'react-router';
import type { DatasetDetail } from '../../../../preload/contract';
import { Button } from '../../components/button';
import { formatBytes, formatDateTime } from '../../format/format';
import type { DatasetDialogKind } from './dataset-dialogs';
import styles from './dataset-page.module.css';
import { DatasetTitle } from './dataset-title';
import { SHAPE_LABELS } from './shape-fields';

/** Back to the list. */
export function BackLink() {
  return (
    <Link to="/datasets" className={styles.back} data-testid="dataset-back">
      <ArrowLeft size={13} aria-hidden="true" /> Datasets
    </Link>
  );
}

/** The dataset's name (renamable), what it is, and its actions (dedupe, split, freeze, delete). */
export function DatasetHeader({
  dataset,
  onRenamed,
  onOpen,
}: {
  dataset: DatasetDetail;
  onRenamed: () => void;
  onOpen: (dialog: DatasetDialogKind) => void;
}) {
  return (
    <header className={styles.header}>
      <div className={styles.headerMain}>
        <BackLink />
        <DatasetTitle id={dataset.id} name={dataset.name} onRenamed={onRenamed} />
        <p className={styles.meta}>
          <span title={SHAPE_LABELS[dataset.shape]}>{dataset.shape}</span> · {dataset.format} ·{' '}
          {formatBytes(dataset.sizeBytes)} · <span title={dataset.sourceName}>{dataset.sourceName}</span> ·
          imported {formatDateTime(dataset.createdAt)}
        </p>
      </div>
      <div className={styles.actions}>
        <Button onClick={() => onOpen('dedupe')} data-testid="action-dedupe">
          <Copy size={14} aria-hidden="true" /> Dedupe…
        </Button>
        <Button onClick={() => onOpen('split')} data-testid="action-split">
          <Scissors size={14} aria-hidden="true" /> Split…
        </Button>
        <Button variant="primary" onClick={() => onOpen('freeze')} data-testid="action-freeze">
          <Snowflake size={14} aria-hidden="true" /> Freeze…
        </Button>
        <Button
          variant="ghost"
          onClick={() => onOpen('delete')}
          aria-label="Delete dataset"
          data-testid="action-delete"
        >
          <Trash2 size={14} aria-hidden="true" />
        </Button>
      </div>
    </header>
  );
}
