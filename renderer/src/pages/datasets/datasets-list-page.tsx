import { Database, Upload } from 'lucide-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import type { DatasetSummary } from '../../../../preload/contract';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { formatBytes, formatCount, formatDateTime, formatRelative } from '../../format/format';
import { useDatasetsStore } from '../../state/datasets-store';
import styles from './datasets.module.css';
import { type DroppedFile, ImportDialog } from './import/import-dialog';
import { SampleImportButton } from './sample-import-button';
import { SHAPE_LABELS } from './shape-fields';
import { useFileDrop } from './use-file-drop';

/**
 * Datasets: every imported dataset in a table, and the way to import another (I, `?import=1`, or a
 * file dropped on the page).
 */
export function DatasetsListPage() {
  const { list, listLoaded, listError } = useDatasetsStore();
  const [importing, setImporting] = useState(false);
  // A drop opens the dialog afresh with what it gave (the key remounts one already open; an import
  // running in it goes on, as when the dialog is closed).
  const [dropped, setDropped] = useState<{ file: DroppedFile; seq: number } | null>(null);
  const { dragging, dropProps } = useFileDrop((file) => {
    setDropped((prev) => ({ file, seq: (prev?.seq ?? 0) + 1 }));
    setImporting(true);
  });
  const closeImport = () => {
    setImporting(false);
    setDropped(null);
  };
  const navigate = useNavigate();
  // `?import=1` (the I shortcut from any page) opens the import dialog once.
  const [params, setParams] = useSearchParams();
  const wantImport = params.get('import') === '1';
  useEffect(() => {
    if (!wantImport) return;
    setImporting(true);
    setParams({}, { replace: true });
  }, [wantImport, setParams]);

  return (
    <div
      data-testid="page-datasets"
      data-dragging={dragging}
      className={dragging ? styles.dropTarget : undefined}
      {...dropProps}
    >
      <PageHeader
        title="Datasets"
        description="Curate the rows a LoRA adapter is trained on."
        actions={
          <Button
            variant="primary"
            onClick={() => setImporting(true)}
            data-testid="datasets-import"
            title="Import a dataset (I)"
            aria-keyshortcuts="I"
          >
            <Upload size={14} aria-hidden="true" /> Import dataset
          </Button>
        }
      />
      {listError !== null && (
        <p className={styles.error} role="alert" data-testid="datasets-error">
          Datasets could not be loaded: {listError.message}
        </p>
      )}
      {listLoaded && list.length === 0 && (
        <EmptyState icon={Database} title="No datasets yet" testId="datasets-empty">
          <p>
            New to LoRA Studio? Start with the sample: 252 short lab-assistant chats, two of them deliberately
            broken so you can see how problems are shown.
          </p>
          <SampleImportButton />
          <p>
            First time here?{' '}
            <Link to="/setup" data-testid="datasets-open-guide">
              Open the first-run guide
            </Link>
            : it checks the GPU, Python, disk and base models, and says how to fix each.
          </p>
          <p>
            Import a JSONL, JSON, CSV, TSV, Parquet or text file: <strong>Import dataset</strong> takes a path
            on the disk of the machine LoRA Studio runs on, shows what it found, and imports it. Dropping a
            file on this page opens it too.
          </p>
          <p>
            From a terminal: <code>lora-studio datasets import FILE</code> or{' '}
            <code>lora-studio datasets import --sample</code>
          </p>
        </EmptyState>
      )}
      {!listLoaded && listError === null && <p className={styles.muted}>Loading datasets…</p>}
      {list.length > 0 && <DatasetsTable datasets={list} onOpen={(id) => navigate(`/datasets/${id}`)} />}
      {importing && <ImportDialog key={dropped?.seq ?? 0} onClose={closeImport} dropped={dropped?.file} />}
    </div>
  );
}

function DatasetsTable({
  datasets,
  onOpen,
}: {
  datasets: ReadonlyArray<DatasetSummary>;
  onOpen: (id: string) => void;
}) {
  return (
    <div className={styles.tableWrap}>
      <table className={styles.table} data-testid="datasets-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Shape</th>
            <th scope="col">Format</th>
            <th scope="col" className={styles.num}>
              Rows
            </th>
            <th scope="col" className={styles.num}>
              Valid
            </th>
            <th scope="col" className={styles.num}>
              Invalid
            </th>
            <th scope="col" className={styles.num}>
              Size
            </th>
            <th scope="col" className={styles.num}>
              Versions
            </th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr
              key={d.id}
              className={styles.clickable}
              onClick={() => onOpen(d.id)}
              data-testid="datasets-row"
              data-id={d.id}
            >
              <td>
                <Link
                  to={`/datasets/${d.id}`}
                  className={styles.nameLink}
                  onClick={(e) => e.stopPropagation()}
                >
                  {d.name}
                </Link>
                {d.status !== 'ready' && (
                  <span className={d.status === 'failed' ? styles.badgeBad : styles.badge}>{d.status}</span>
                )}
              </td>
              <td title={SHAPE_LABELS[d.shape]}>{d.shape}</td>
              <td>{d.format}</td>
              <td className={styles.num} data-testid="datasets-row-rows">
                {formatCount(d.rows)}
              </td>
              <td className={styles.num}>{formatCount(d.valid)}</td>
              <td className={`${styles.num} ${d.invalid > 0 ? styles.badText : ''}`}>
                {formatCount(d.invalid)}
              </td>
              <td className={styles.num}>{formatBytes(d.sizeBytes)}</td>
              <td className={styles.num}>{formatCount(d.versions)}</td>
              <td title={formatDateTime(d.createdAt)}>{formatRelative(d.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
