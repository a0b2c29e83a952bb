import { Boxes, Search } from 'lucide-react';
import { useMemo, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { ModelArtifact } from '../../../../preload/contract';
import { useChannel } from '../../api/use-channel';
import { EmptyState } from '../../components/empty-state';
import { PageHeader } from '../../components/page-header';
import { formatBytes, formatDateTime, formatLoss } from '../../format/format';
import { ArtifactDetail } from './artifact-detail';
import { BaseModels } from './base-models';
import styles from './library.module.css';

type SortKey = 'newest' | 'oldest' | 'name' | 'size' | 'eval';

const SORTS: Readonly<
  Record<SortKey, { label: string; compare: (a: ModelArtifact, b: ModelArtifact) => number }>
> = {
  newest: { label: 'Newest first', compare: (a, b) => b.createdAt - a.createdAt },
  oldest: { label: 'Oldest first', compare: (a, b) => a.createdAt - b.createdAt },
  name: { label: 'Name', compare: (a, b) => a.name.localeCompare(b.name) },
  size: { label: 'Largest first', compare: (a, b) => b.sizeBytes - a.sizeBytes },
  eval: {
    label: 'Best eval loss',
    compare: (a, b) =>
      (a.metrics.bestEvalLoss ?? Number.POSITIVE_INFINITY) -
      (b.metrics.bestEvalLoss ?? Number.POSITIVE_INFINITY),
  },
};

function matches(artifact: ModelArtifact, query: string): boolean {
  if (query === '') return true;
  const haystack = [
    artifact.name,
    artifact.id,
    artifact.jobId,
    artifact.baseModelPath,
    artifact.datasetLabel,
    artifact.kind,
  ]
    .filter((s): s is string => s !== null)
    .join(' ')
    .toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .every((word) => haystack.includes(word));
}

/** Models: the library of adapters the runs left (search, sort, detail), and the cached base models. */
export function LibraryPage() {
  const { id: selectedId } = useParams();
  const navigate = useNavigate();
  const { value: artifacts, error } = useChannel('models.list', {}, ['models']);
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<SortKey>('newest');
  const shown = useMemo(
    () => (artifacts ?? []).filter((a) => matches(a, query.trim())).sort(SORTS[sort].compare),
    [artifacts, query, sort],
  );

  return (
    <div data-testid="page-models">
      <PageHeader
        title="Models"
        description="LoRA adapters from finished runs: inspect, try, merge, export."
      />
      {error !== null && (
        <p className={styles.error} role="alert">
          The library could not be read: {error.message}
        </p>
      )}
      {artifacts !== null && artifacts.length === 0 && (
        <EmptyState icon={Boxes} title="No adapters yet" testId="models-empty">
          <p>
            Each training run that completes puts its adapter here; a checkpoint can be added from its job's
            page. <Link to="/training/new">Start a run</Link>.
          </p>
          <p>
            From a terminal: <code>lora-studio models list</code>
          </p>
        </EmptyState>
      )}
      {artifacts !== null && artifacts.length > 0 && (
        <div className={styles.libraryGrid}>
          <section className={styles.listPane} aria-label="Adapters">
            <div className={styles.toolbar}>
              <label className={styles.search}>
                <Search size={14} aria-hidden="true" />
                <span className="visually-hidden">Search adapters</span>
                <input
                  type="search"
                  placeholder="Search name, dataset, base model…"
                  value={query}
                  onChange={(e) => setQuery(e.target.value)}
                  data-testid="library-search"
                />
              </label>
              <label className={styles.sort}>
                <span className="visually-hidden">Sort</span>
                <select
                  value={sort}
                  onChange={(e) => setSort(e.target.value as SortKey)}
                  data-testid="library-sort"
                >
                  {(Object.keys(SORTS) as SortKey[]).map((key) => (
                    <option key={key} value={key}>
                      {SORTS[key].label}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            <table className={styles.table} data-testid="library-table">
              <thead>
                <tr>
                  <th scope="col">Adapter</th>
                  <th scope="col">Dataset</th>
                  <th scope="col" className={styles.num}>
                    Eval loss
                  </th>
                  <th scope="col" className={styles.num}>
                    Size
                  </th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((a) => (
                  <tr
                    key={a.id}
                    className={a.id === selectedId ? styles.selected : undefined}
                    data-testid="library-row"
                    data-id={a.id}
                    aria-selected={a.id === selectedId}
                    onClick={() => navigate(`/models/${a.id}`)}
                  >
                    <td>
                      <Link
                        to={`/models/${a.id}`}
                        className={styles.rowLink}
                        onClick={(e) => e.stopPropagation()}
                      >
                        {a.name}
                      </Link>
                      <div className={styles.sub}>
                        {a.kind}
                        {a.checkpointStep !== null ? ` · checkpoint ${a.checkpointStep}` : ''}
                      </div>
                    </td>
                    <td>{a.datasetLabel ?? '–'}</td>
                    <td className={styles.num}>
                      {formatLoss(a.metrics.bestEvalLoss ?? a.metrics.finalLoss)}
                    </td>
                    <td className={styles.num}>{formatBytes(a.sizeBytes)}</td>
                    <td>{formatDateTime(a.createdAt)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {shown.length === 0 && (
              <p className={styles.help} data-testid="library-no-match">
                No adapter matches “{query}”.
              </p>
            )}
          </section>
          <section className={styles.detailPane} aria-label="Adapter detail">
            {selectedId ? (
              <ArtifactDetail id={selectedId} />
            ) : (
              <p className={styles.help}>Select an adapter to see its files, lineage and metrics.</p>
            )}
          </section>
        </div>
      )}
      <BaseModels />
    </div>
  );
}
