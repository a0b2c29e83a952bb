import styles from '../datasets.module.css';

const CELL_CHARS = 160;
const MAX_ROWS = 8;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The first rows of a file as the importer saw them: a table for columns, JSON otherwise. */
export function SamplePreview({
  sample,
  columns,
}: {
  sample: ReadonlyArray<unknown>;
  columns: ReadonlyArray<string> | null;
}) {
  const rows = sample.slice(0, MAX_ROWS);
  if (rows.length === 0) return <p className={styles.muted}>The file has no rows to show.</p>;
  const tabular = columns !== null && rows.every((r) => typeof r === 'object' && r !== null);
  if (tabular) {
    return (
      <div className={styles.previewWrap} data-testid="import-preview">
        <table className={styles.previewTable}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a fixed sample
              <tr key={i}>
                {columns.map((c, j) => (
                  <td key={c}>
                    {clip(
                      cellText(Array.isArray(row) ? row[j] : (row as Record<string, unknown>)[c]),
                      CELL_CHARS,
                    )}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );
  }
  return (
    <ol className={styles.previewJson} data-testid="import-preview">
      {rows.map((row, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: a fixed sample
        <li key={i}>
          <code>{clip(cellText(row), 600)}</code>
        </li>
      ))}
    </ol>
  );
}
