import { Download, Snowflake } from 'lucide-react';
import { useState } from 'react';
import type { DatasetDetail, DatasetVersion } from '../../../../preload/contract';
import { Button } from '../../components/button';
import { formatBytes, formatCount, formatDateTime, formatRelative } from '../../format/format';
import styles from './dataset-page.module.css';
import { ExportDialog } from './export-dialog';

/** A dataset's frozen versions, newest first, each exportable. */
export function VersionsPanel({ dataset, onFreeze }: { dataset: DatasetDetail; onFreeze: () => void }) {
  const [exporting, setExporting] = useState<DatasetVersion | null>(null);
  const versions = [...dataset.versionList].sort((a, b) => b.version - a.version);
  return (
    <div data-testid="dataset-versions">
      {versions.length === 0 ? (
        <div className={styles.emptyVersions} data-testid="versions-empty">
          <p>
            No frozen versions yet. Freeze the dataset to get a checksummed snapshot of its valid rows and
            split — training jobs train on a frozen version.
          </p>
          <Button variant="primary" onClick={onFreeze}>
            <Snowflake size={14} aria-hidden="true" /> Freeze v1
          </Button>
        </div>
      ) : (
        <table className={styles.table} data-testid="versions-table">
          <thead>
            <tr>
              <th scope="col">Version</th>
              <th scope="col" className={styles.num}>
                Rows
              </th>
              <th scope="col" className={styles.num}>
                Train / val
              </th>
              <th scope="col" className={styles.num}>
                Size
              </th>
              <th scope="col">sha256</th>
              <th scope="col">Note</th>
              <th scope="col">Created</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {versions.map((v) => (
              <tr key={v.id} data-testid="version-row" data-version={v.version}>
                <td>
                  <strong>v{v.version}</strong>
                </td>
                <td className={styles.num} data-testid="version-rows">
                  {formatCount(v.rows)}
                </td>
                <td className={styles.num}>
                  {formatCount(v.train)} / {formatCount(v.val)}
                </td>
                <td className={styles.num}>{formatBytes(v.sizeBytes)}</td>
                <td>
                  <code title={v.sha256}>{v.sha256.slice(0, 12)}</code>
                </td>
                <td className={styles.noteCell}>{v.note ?? ''}</td>
                <td title={formatDateTime(v.createdAt)}>{formatRelative(v.createdAt)}</td>
                <td>
                  <Button variant="ghost" onClick={() => setExporting(v)} data-testid="version-export">
                    <Download size={13} aria-hidden="true" /> Export
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {exporting !== null && <ExportDialog version={exporting} onClose={() => setExporting(null)} />}
    </div>
  );
}
