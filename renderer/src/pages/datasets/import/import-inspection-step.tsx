import type { Dispatch } from 'react';
import {
  type DatasetInspection,
  type DatasetShape,
  DatasetShapeSchema,
} from '../../../../../preload/contract';
import { formatBytes } from '../../../format/format';
import styles from '../datasets.module.css';
import { SHAPE_LABELS } from '../shape-fields';
import { TickedText } from '../ticked-text';
import { ColumnMapping } from './column-mapping';
import { type ImportAction, type ImportState, mapsColumns, missingMappings } from './import-state';
import { SamplePreview } from './sample-preview';

/** Step 2: what the inspection found (format, encoding, shape and its evidence), the column mapping, the name. */
export function ImportInspectionStep({
  state,
  inspection,
  dispatch,
}: {
  state: ImportState;
  inspection: DatasetInspection;
  dispatch: Dispatch<ImportAction>;
}) {
  const running = state.phase.kind === 'running';
  return (
    <>
      <dl className={styles.facts} data-testid="import-inspection">
        <dt>Format</dt>
        <dd data-testid="import-detected-format">{inspection.format}</dd>
        <dt>Encoding</dt>
        <dd data-testid="import-encoding">{inspection.encoding}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(inspection.sizeBytes)}</dd>
        <dt>Shape</dt>
        <dd>
          <ShapeSelect
            inspection={inspection}
            shape={state.shape}
            disabled={running}
            onChange={(shape) => dispatch({ type: 'shape', shape })}
          />
        </dd>
      </dl>
      <DetectionEvidence inspection={inspection} />

      {mapsColumns(state) && inspection.columns !== null && (
        <ColumnMapping
          shape={state.shape}
          columns={inspection.columns}
          mapping={state.mapping}
          onMappingChange={(mapping) => dispatch({ type: 'mapping', mapping })}
          delimiter={state.delimiter}
          onDelimiterChange={(delimiter) => dispatch({ type: 'delimiter', delimiter })}
          missing={missingMappings(state)}
          disabled={running}
        />
      )}

      <div>
        <span className={styles.fieldLabel}>First rows</span>
        <SamplePreview sample={inspection.sample} columns={inspection.columns} />
      </div>

      <label className={styles.stack}>
        <span className={styles.fieldLabel}>Name</span>
        <input
          className={styles.input}
          type="text"
          value={state.name}
          maxLength={200}
          disabled={running}
          onChange={(event) => dispatch({ type: 'name', name: event.target.value })}
          data-testid="import-name"
        />
      </label>
    </>
  );
}

/** Every shape, the detected one marked, the others with how many sampled rows they fit. */
function ShapeSelect({
  inspection,
  shape,
  disabled,
  onChange,
}: {
  inspection: DatasetInspection;
  shape: DatasetShape;
  disabled: boolean;
  onChange: (shape: DatasetShape) => void;
}) {
  const { detection } = inspection;
  return (
    <select
      className={styles.input}
      aria-label="Row shape"
      value={shape}
      disabled={disabled}
      onChange={(event) => onChange(event.target.value as DatasetShape)}
      data-testid="import-shape"
    >
      {DatasetShapeSchema.options.map((s) => {
        const candidate = detection.candidates.find((c) => c.shape === s);
        const fit =
          s === detection.shape
            ? ' — detected'
            : candidate !== undefined
              ? ` — fits ${candidate.matched} of ${detection.sampled}`
              : '';
        return (
          <option key={s} value={s}>
            {SHAPE_LABELS[s]}
            {fit}
          </option>
        );
      })}
    </select>
  );
}

/** Why the detector chose its shape, and what else would fit. */
function DetectionEvidence({ inspection }: { inspection: DatasetInspection }) {
  const { detection } = inspection;
  return (
    <div className={styles.evidence} data-testid="import-evidence">
      <span className={styles.fieldLabel}>
        Detected <strong data-testid="import-detected-shape">{detection.shape}</strong> from{' '}
        {detection.sampled} sampled rows
      </span>
      <ul>
        {detection.evidence.map((line) => (
          <li key={line}>
            <TickedText text={line} />
          </li>
        ))}
      </ul>
      {detection.candidates.length > 0 && (
        <p className={styles.help} data-testid="import-candidates">
          Also fits:{' '}
          {detection.candidates.map((c) => `${c.shape} (${c.matched}/${detection.sampled})`).join(', ')}
        </p>
      )}
    </div>
  );
}
