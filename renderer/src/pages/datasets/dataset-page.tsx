import { ArrowLeft, Copy, Scissors, Snowflake, Trash2 } from 'lucide-react';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import type { DatasetDetail } from '../../../../preload/contract';
import { toApiError } from '../../api/api-call-error';
import { useClient } from '../../api/client-context';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { formatBytes, formatCount, formatDateTime } from '../../format/format';
import { bumpDatasetRevision, useDatasetsStore } from '../../state/datasets-store';
import styles from './dataset-page.module.css';
import { DatasetTitle } from './dataset-title';
import { useDatasetsLoaders } from './datasets-section';
import { DedupeDialog } from './dedupe-dialog';
import { EMPTY_DRAFT, type FilterDraft } from './filter-draft';
import { FreezeDialog } from './freeze-dialog';
import { RowBrowser } from './row-browser';
import { SHAPE_LABELS } from './shape-fields';
import { SplitDialog } from './split-dialog';
import { StatsPanel } from './stats-panel';
import { VersionsPanel } from './versions-panel';

const TABS = [
  { id: 'rows', label: 'Rows' },
  { id: 'stats', label: 'Statistics' },
  { id: 'versions', label: 'Versions' },
] as const;
type TabId = (typeof TABS)[number]['id'];
type DialogKind = 'dedupe' | 'split' | 'freeze' | 'delete';

/** One dataset: header with counts, and tabs for its rows, its statistics and its frozen versions. */
export function DatasetPage() {
  const { id = '' } = useParams();
  const loaders = useDatasetsLoaders();
  const dataset = useDatasetsStore((state) => state.details[id]);
  const error = useDatasetsStore((state) => state.detailErrors[id]);

  useEffect(() => {
    void loaders.detail(id);
  }, [loaders, id]);

  if (dataset === undefined) {
    return (
      <div data-testid="page-dataset">
        <BackLink />
        {error === undefined ? (
          <p className={styles.faint}>Loading dataset…</p>
        ) : (
          <p className={styles.errorText} role="alert" data-testid="dataset-error">
            {error.code === 'NOT_FOUND'
              ? 'There is no such dataset (it may have been deleted).'
              : error.message}
          </p>
        )}
      </div>
    );
  }
  return <DatasetView key={id} dataset={dataset} />;
}

function BackLink() {
  return (
    <Link to="/datasets" className={styles.back} data-testid="dataset-back">
      <ArrowLeft size={13} aria-hidden="true" /> Datasets
    </Link>
  );
}

function DatasetView({ dataset }: { dataset: DatasetDetail }) {
  const client = useClient();
  const navigate = useNavigate();
  const loaders = useDatasetsLoaders();
  const revision = useDatasetsStore((state) => state.revisions[dataset.id] ?? 0);
  const [params, setParams] = useSearchParams();
  const tab: TabId = TABS.some((t) => t.id === params.get('tab')) ? (params.get('tab') as TabId) : 'rows';
  const [draft, setDraft] = useState<FilterDraft>(EMPTY_DRAFT);
  const [dialog, setDialog] = useState<DialogKind | null>(null);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const setTab = (next: TabId) =>
    setParams(
      (current) => {
        const copy = new URLSearchParams(current);
        if (next === 'rows') copy.delete('tab');
        else copy.set('tab', next);
        return copy;
      },
      { replace: true },
    );

  /** Rows or counts changed through this page: refetch the detail and the visible rows. */
  const refresh = () => {
    void loaders.detail(dataset.id);
    void loaders.list();
    bumpDatasetRevision(dataset.id);
  };

  // `/` is the row browser's search: from another tab, come back to the rows first.
  useEffect(() => {
    if (tab === 'rows') return;
    const onKeyDown = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (event.key !== '/' || document.querySelector('dialog[open]') !== null) return;
      if (
        target !== null &&
        (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable)
      )
        return;
      event.preventDefault();
      setTab('rows');
      requestAnimationFrame(() =>
        document.querySelector<HTMLInputElement>('[data-testid="rows-search"]')?.focus(),
      );
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  });

  const deleteDataset = async () => {
    try {
      await client.call('datasets.delete', { id: dataset.id });
      void loaders.list();
      navigate('/datasets');
    } catch (caught) {
      setDeleteError(toApiError(caught).message);
    }
  };

  const { stats } = dataset;
  return (
    <div className={styles.page} data-testid="page-dataset" data-dataset-id={dataset.id}>
      <header className={styles.header}>
        <div className={styles.headerMain}>
          <BackLink />
          <DatasetTitle id={dataset.id} name={dataset.name} onRenamed={refresh} />
          <p className={styles.meta}>
            <span title={SHAPE_LABELS[dataset.shape]}>{dataset.shape}</span> · {dataset.format} ·{' '}
            {formatBytes(dataset.sizeBytes)} · <span title={dataset.sourceName}>{dataset.sourceName}</span> ·
            imported {formatDateTime(dataset.createdAt)}
          </p>
        </div>
        <div className={styles.actions}>
          <Button onClick={() => setDialog('dedupe')} data-testid="action-dedupe">
            <Copy size={14} aria-hidden="true" /> Dedupe…
          </Button>
          <Button onClick={() => setDialog('split')} data-testid="action-split">
            <Scissors size={14} aria-hidden="true" /> Split…
          </Button>
          <Button variant="primary" onClick={() => setDialog('freeze')} data-testid="action-freeze">
            <Snowflake size={14} aria-hidden="true" /> Freeze…
          </Button>
          <Button
            variant="ghost"
            onClick={() => setDialog('delete')}
            aria-label="Delete dataset"
            data-testid="action-delete"
          >
            <Trash2 size={14} aria-hidden="true" />
          </Button>
        </div>
      </header>

      <dl className={styles.counts} data-testid="dataset-counts">
        <Count label="rows" value={stats.rows} testId="count-rows" />
        <Count label="valid" value={stats.valid} testId="count-valid" tone="good" />
        <Count
          label="invalid"
          value={stats.invalid}
          testId="count-invalid"
          tone={stats.invalid > 0 ? 'bad' : undefined}
        />
        <Count label="deleted" value={stats.deleted} testId="count-deleted" />
        <Count label="train" value={stats.split.train} testId="count-train" />
        <Count label="val" value={stats.split.val} testId="count-val" />
        <Count label="versions" value={dataset.versionList.length} testId="count-versions" />
      </dl>
      {dataset.status === 'failed' && dataset.error !== null && (
        <p className={styles.errorText} role="alert">
          {dataset.error}
        </p>
      )}

      <div className={styles.tabs} role="tablist" aria-label="Dataset views">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`panel-${t.id}`}
            className={styles.tab}
            onClick={() => setTab(t.id)}
            data-testid={`tab-${t.id}`}
          >
            {t.label}
            {t.id === 'versions' && dataset.versionList.length > 0 && (
              <span className={styles.tabCount}>{dataset.versionList.length}</span>
            )}
          </button>
        ))}
      </div>

      <TabPanel id="rows" active={tab === 'rows'} grow>
        <RowBrowser
          datasetId={dataset.id}
          revision={revision}
          active={tab === 'rows'}
          draft={draft}
          onDraftChange={setDraft}
          onMutated={refresh}
        />
      </TabPanel>
      {tab === 'stats' && (
        <TabPanel id="stats" active>
          <StatsPanel
            dataset={dataset}
            onShowProblem={(problem) => {
              setDraft({ ...EMPTY_DRAFT, problem });
              setTab('rows');
            }}
          />
        </TabPanel>
      )}
      {tab === 'versions' && (
        <TabPanel id="versions" active>
          <VersionsPanel dataset={dataset} onFreeze={() => setDialog('freeze')} />
        </TabPanel>
      )}

      {dialog === 'dedupe' && (
        <DedupeDialog
          datasetId={dataset.id}
          onClose={() => setDialog(null)}
          onApplied={refresh}
          onShowDuplicates={() => {
            setDialog(null);
            setDraft({ ...EMPTY_DRAFT, duplicate: true });
            setTab('rows');
          }}
        />
      )}
      {dialog === 'split' && (
        <SplitDialog
          datasetId={dataset.id}
          current={stats.split}
          onClose={() => setDialog(null)}
          onApplied={refresh}
        />
      )}
      {dialog === 'freeze' && (
        <FreezeDialog
          datasetId={dataset.id}
          valid={stats.valid}
          onClose={() => setDialog(null)}
          onFrozen={() => {
            setDialog(null);
            refresh();
            setTab('versions');
          }}
        />
      )}
      {dialog === 'delete' && (
        <Dialog
          title={`Delete "${dataset.name}"?`}
          size="small"
          onClose={() => setDialog(null)}
          testId="delete-dataset-dialog"
          footer={
            <>
              <Button variant="ghost" onClick={() => setDialog(null)}>
                Cancel
              </Button>
              <Button variant="primary" onClick={deleteDataset} data-testid="delete-dataset-confirm">
                Delete dataset
              </Button>
            </>
          }
        >
          <p>
            This removes the dataset, its {formatCount(stats.rows)} rows and its {dataset.versionList.length}{' '}
            frozen versions from this data folder. The source file on disk is not touched.
          </p>
          {deleteError !== null && (
            <p className={styles.errorText} role="alert">
              {deleteError}
            </p>
          )}
        </Dialog>
      )}
    </div>
  );
}

function TabPanel({
  id,
  active,
  grow = false,
  children,
}: {
  id: TabId;
  active: boolean;
  grow?: boolean;
  children: ReactNode;
}) {
  return (
    <div
      role="tabpanel"
      id={`panel-${id}`}
      aria-labelledby={`tab-${id}`}
      hidden={!active}
      className={grow ? styles.panelGrow : styles.panel}
      data-testid={`panel-${id}`}
    >
      {children}
    </div>
  );
}

function Count({
  label,
  value,
  testId,
  tone,
}: {
  label: string;
  value: number;
  testId: string;
  tone?: 'good' | 'bad';
}) {
  return (
    <div className={styles.countItem}>
      <dt className={styles.countLabel}>{label}</dt>
      <dd
        className={tone === undefined ? styles.countValue : `${styles.countValue} ${styles[tone]}`}
        data-testid={testId}
        data-value={value}
      >
        {formatCount(value)}
      </dd>
    </div>
  );
}
