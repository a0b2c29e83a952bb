import { type ReactNode, useEffect, useState } from 'react';
import { useParams } from 'react-router';
import type { DatasetDetail } from '../../../../preload/contract';
import { bumpDatasetRevision, useDatasetsStore } from '../../state/datasets-store';
import { DatasetCounts } from './dataset-counts';
import { DatasetDialog, type DatasetDialogKind } from './dataset-dialogs';
import { BackLink, DatasetHeader } from './dataset-header';
import styles from './dataset-page.module.css';
import { useDatasetsLoaders } from './datasets-section';
import { EMPTY_DRAFT, type FilterDraft } from './filter-draft';
import { RowBrowser } from './row-browser';
import { StatsPanel } from './stats-panel';
import { DATASET_TABS, type DatasetTabId, useDatasetTab } from './use-dataset-tab';
import { VersionsPanel } from './versions-panel';

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

function DatasetView({ dataset }: { dataset: DatasetDetail }) {
  const loaders = useDatasetsLoaders();
  const revision = useDatasetsStore((state) => state.revisions[dataset.id] ?? 0);
  const [tab, setTab] = useDatasetTab();
  const [draft, setDraft] = useState<FilterDraft>(EMPTY_DRAFT);
  const [dialog, setDialog] = useState<DatasetDialogKind | null>(null);

  /** Rows or counts changed through this page: refetch the detail and the visible rows. */
  const refresh = () => {
    void loaders.detail(dataset.id);
    void loaders.list();
    bumpDatasetRevision(dataset.id);
  };
  /** Opens the rows with a filter (a problem from the statistics, the duplicates from dedupe). */
  const showRows = (filter: Partial<FilterDraft>) => {
    setDraft({ ...EMPTY_DRAFT, ...filter });
    setTab('rows');
  };

  return (
    <div className={styles.page} data-testid="page-dataset" data-dataset-id={dataset.id}>
      <DatasetHeader dataset={dataset} onRenamed={refresh} onOpen={setDialog} />
      <DatasetCounts dataset={dataset} />
      {dataset.status === 'failed' && dataset.error !== null && (
        <p className={styles.errorText} role="alert">
          {dataset.error}
        </p>
      )}

      <div className={styles.tabs} role="tablist" aria-label="Dataset views">
        {DATASET_TABS.map((t) => (
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

      {/* The rows stay mounted on other tabs so their scroll position and loaded pages survive. */}
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
          <StatsPanel dataset={dataset} onShowProblem={(problem) => showRows({ problem })} />
        </TabPanel>
      )}
      {tab === 'versions' && (
        <TabPanel id="versions" active>
          <VersionsPanel dataset={dataset} onFreeze={() => setDialog('freeze')} />
        </TabPanel>
      )}

      {dialog !== null && (
        <DatasetDialog
          kind={dialog}
          dataset={dataset}
          handlers={{
            onClose: () => setDialog(null),
            onChanged: refresh,
            onShowDuplicates: () => {
              setDialog(null);
              showRows({ duplicate: true });
            },
            onFrozen: () => {
              setDialog(null);
              refresh();
              setTab('versions');
            },
          }}
        />
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
  id: DatasetTabId;
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
