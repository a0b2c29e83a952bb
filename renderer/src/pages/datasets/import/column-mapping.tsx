import type { DatasetShape } from '../../../../../preload/contract';
import styles from '../datasets.module.css';
import { SHAPE_FIELDS } from '../shape-fields';
import { DELIMITERS, type Delimiter } from './delimiters';

/** The CSV/TSV step of an import: the delimiter, and which column feeds each field of the shape. */
export function ColumnMapping({
  shape,
  columns,
  mapping,
  onMappingChange,
  delimiter,
  onDelimiterChange,
  missing,
  disabled,
}: {
  shape: DatasetShape;
  columns: ReadonlyArray<string>;
  mapping: Readonly<Record<string, string>>;
  onMappingChange: (mapping: Record<string, string>) => void;
  delimiter: Delimiter;
  onDelimiterChange: (delimiter: Delimiter) => void;
  /** Labels of required fields without a column. */
  missing: ReadonlyArray<string>;
  disabled: boolean;
}) {
  return (
    <fieldset className={styles.mapping} data-testid="import-mapping" disabled={disabled}>
      <legend className={styles.fieldLabel}>Columns → {shape} fields</legend>
      <label className={styles.mapRow}>
        <span>Delimiter</span>
        <select
          className={styles.input}
          value={delimiter}
          onChange={(event) => onDelimiterChange(event.target.value as Delimiter)}
          data-testid="import-delimiter"
        >
          {DELIMITERS.map((d) => (
            <option key={d.label} value={d.value}>
              {d.label}
            </option>
          ))}
        </select>
      </label>
      {SHAPE_FIELDS[shape].map((field) => (
        <label key={field.field} className={styles.mapRow}>
          <span>
            {field.label}
            {field.required ? '' : ' (optional)'}
          </span>
          <select
            className={styles.input}
            value={mapping[field.field] ?? ''}
            onChange={(event) => onMappingChange({ ...mapping, [field.field]: event.target.value })}
            data-testid={`import-map-${field.field}`}
            aria-invalid={field.required && !mapping[field.field]}
          >
            <option value="">— none —</option>
            {columns.map((column) => (
              <option key={column} value={column}>
                {column}
              </option>
            ))}
          </select>
        </label>
      ))}
      {missing.length > 0 && (
        <p className={styles.warnText} data-testid="import-mapping-missing">
          Choose a column for: {missing.join(', ')}
        </p>
      )}
    </fieldset>
  );
}
