import type {
  ApiError,
  ChannelInput,
  DatasetFormat,
  DatasetInspection,
  DatasetShape,
} from '../../../../../preload/contract';
import type { TaskProgress } from '../../../state/task-watcher';
import { guessMapping, missingFields, nameFromPath, needsColumnMapping } from '../shape-fields';
import { DELIMITERS, type Delimiter } from './delimiters';

/** Where the import itself stands: being edited, running (with its task once known), failed or cancelled. */
export type ImportPhase =
  | { readonly kind: 'edit' }
  | { readonly kind: 'running'; readonly taskId: string | null; readonly progress: TaskProgress | null }
  | { readonly kind: 'failed'; readonly error: ApiError }
  | { readonly kind: 'cancelled' };

/** Everything the import dialog shows: the source, its inspection, the choices made, and the phase. */
export interface ImportState {
  readonly path: string;
  readonly format: DatasetFormat | '';
  readonly inspecting: boolean;
  readonly inspectError: ApiError | null;
  readonly inspection: DatasetInspection | null;
  readonly shape: DatasetShape;
  readonly mapping: Readonly<Record<string, string>>;
  readonly delimiter: Delimiter;
  readonly name: string;
  /** The person typed the name: a later inspection keeps it instead of naming after the new file. */
  readonly nameTyped: boolean;
  readonly phase: ImportPhase;
}

/** What can happen to the dialog: a person's edits, and the core's answers. */
export type ImportAction =
  | { readonly type: 'path'; readonly path: string }
  | { readonly type: 'format'; readonly format: DatasetFormat | '' }
  | { readonly type: 'inspect-started' }
  | { readonly type: 'inspected'; readonly inspection: DatasetInspection }
  | { readonly type: 'inspect-failed'; readonly error: ApiError }
  | { readonly type: 'shape'; readonly shape: DatasetShape }
  | { readonly type: 'mapping'; readonly mapping: Readonly<Record<string, string>> }
  | { readonly type: 'delimiter'; readonly delimiter: Delimiter }
  | { readonly type: 'name'; readonly name: string }
  | { readonly type: 'import-started' }
  | { readonly type: 'task'; readonly taskId: string }
  | { readonly type: 'progress'; readonly progress: TaskProgress }
  | { readonly type: 'cancelled' }
  | { readonly type: 'failed'; readonly error: ApiError };

/** The dialog as it opens: an empty path, format detection, nothing inspected. */
export const INITIAL_IMPORT_STATE: ImportState = {
  path: '',
  format: '',
  inspecting: false,
  inspectError: null,
  inspection: null,
  shape: 'chat',
  mapping: {},
  delimiter: ',',
  name: '',
  nameTyped: false,
  phase: { kind: 'edit' },
};

function assertNever(value: never): never {
  throw new Error(`unhandled import action ${JSON.stringify(value)}`);
}

/** The import dialog's state machine; pure, so each transition can be tested without a browser. */
export function importReducer(state: ImportState, action: ImportAction): ImportState {
  switch (action.type) {
    case 'path':
      // A new path invalidates what was inspected: Import waits for the next inspection.
      return { ...state, path: action.path, inspection: null };
    case 'format':
      return { ...state, format: action.format };
    case 'inspect-started':
      return { ...state, inspecting: true, inspectError: null, inspection: null, phase: { kind: 'edit' } };
    case 'inspected': {
      const found = action.inspection;
      const detected = DELIMITERS.find((d) => d.value === found.delimiter)?.value;
      return {
        ...state,
        inspecting: false,
        inspection: found,
        shape: found.detection.shape,
        mapping: found.columns === null ? {} : guessMapping(found.detection.shape, found.columns),
        delimiter: detected ?? (found.format === 'tsv' ? '\t' : ','),
        name: state.nameTyped && state.name.trim() !== '' ? state.name : nameFromPath(found.path),
      };
    }
    case 'inspect-failed':
      return { ...state, inspecting: false, inspectError: action.error };
    case 'shape':
      return {
        ...state,
        shape: action.shape,
        mapping:
          state.inspection?.columns == null
            ? state.mapping
            : guessMapping(action.shape, state.inspection.columns),
      };
    case 'mapping':
      return { ...state, mapping: action.mapping };
    case 'delimiter':
      return { ...state, delimiter: action.delimiter };
    case 'name':
      return { ...state, name: action.name, nameTyped: true };
    case 'import-started':
      return { ...state, phase: { kind: 'running', taskId: null, progress: null } };
    case 'task':
      return state.phase.kind === 'running'
        ? { ...state, phase: { ...state.phase, taskId: action.taskId } }
        : state;
    case 'progress':
      return state.phase.kind === 'running'
        ? { ...state, phase: { ...state.phase, progress: action.progress } }
        : state;
    case 'cancelled':
      return { ...state, phase: { kind: 'cancelled' } };
    case 'failed':
      return { ...state, phase: { kind: 'failed', error: action.error } };
    default:
      return assertNever(action);
  }
}

/** True when the file's columns must be mapped to the shape's fields (CSV/TSV). */
export function mapsColumns(state: ImportState): boolean {
  return state.inspection !== null && needsColumnMapping(state.inspection.format);
}

/** The shape's fields no column feeds yet; Import stays disabled until this is empty. */
export function missingMappings(state: ImportState): ReadonlyArray<string> {
  return mapsColumns(state) ? missingFields(state.shape, state.mapping) : [];
}

/** The `datasets.import` request the state means, or null while it cannot start. */
export function importRequest(state: ImportState): ChannelInput<'datasets.import'> | null {
  const { inspection } = state;
  if (inspection === null || state.phase.kind === 'running' || missingMappings(state).length > 0) return null;
  const name = state.name.trim();
  return {
    path: inspection.path,
    format: inspection.format,
    ...(name === '' ? {} : { name }),
    ...(state.shape === inspection.detection.shape ? {} : { shape: state.shape }),
    ...(mapsColumns(state)
      ? {
          csv: {
            delimiter: state.delimiter,
            mapping: Object.fromEntries(Object.entries(state.mapping).filter(([, column]) => column !== '')),
          },
        }
      : {}),
  };
}
