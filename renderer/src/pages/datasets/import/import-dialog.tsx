import { Button } from '../../../components/button';
import { Dialog } from '../../../components/dialog';
import styles from '../datasets.module.css';
import { ImportInspectionStep } from './import-inspection-step';
import { ImportOutcome } from './import-outcome';
import { ImportSourceStep } from './import-source-step';
import { importRequest, missingMappings } from './import-state';
import { useImport } from './use-import';

/** What a file dropped on the Datasets page gave: its path (desktop), or only its name (a browser). */
export type DroppedFile = { readonly path: string } | { readonly name: string };

/**
 * Import a dataset from a path on the core's disk: inspect it (format, encoding, detected shape with
 * its evidence, columns, first rows), map CSV/TSV columns, name it, then import with progress.
 */
export function ImportDialog({ onClose, dropped }: { onClose: () => void; dropped?: DroppedFile }) {
  const { state, dispatch, inspect, startImport, cancel } = useImport(
    onClose,
    dropped !== undefined && 'path' in dropped ? dropped.path : '',
  );
  const { phase, inspection } = state;
  const missing = missingMappings(state);

  // Closing while an import runs leaves it running; the list shows it when it lands.
  const footer =
    phase.kind === 'running' ? (
      <Button onClick={cancel} disabled={phase.taskId === null} data-testid="import-cancel">
        Cancel import
      </Button>
    ) : (
      <>
        <Button variant="ghost" onClick={onClose}>
          Close
        </Button>
        <Button
          variant="primary"
          onClick={startImport}
          disabled={importRequest(state) === null}
          data-testid="import-start"
          title={missing.length > 0 ? `Map a column to: ${missing.join(', ')}` : undefined}
        >
          Import
        </Button>
      </>
    );

  return (
    <Dialog title="Import dataset" onClose={onClose} testId="import-dialog" size="large" footer={footer}>
      {dropped !== undefined && 'name' in dropped && (
        <p className={styles.help} role="status" data-testid="import-drop-note">
          Browsers don't tell a page where a dropped file is: type its path. You dropped{' '}
          <code data-testid="import-dropped-name">{dropped.name}</code>.
        </p>
      )}
      <ImportSourceStep state={state} dispatch={dispatch} onInspect={inspect} />
      {state.inspectError !== null && (
        <p className={styles.error} role="alert" data-testid="import-inspect-error">
          {state.inspectError.message}
        </p>
      )}
      {inspection !== null && (
        <ImportInspectionStep state={state} inspection={inspection} dispatch={dispatch} />
      )}
      <ImportOutcome phase={phase} />
    </Dialog>
  );
}
