import { AppError } from '../errors';

/** The look-ups the resolver needs (DatasetsRepository has them). */
export interface DatasetVersionLookup {
  getVersion(id: string): { readonly id: string } | undefined;
  get(id: string): { readonly name: string } | undefined;
  /** A dataset's versions, newest first. */
  versions(datasetId: string): ReadonlyArray<{ readonly id: string }>;
}

/** What a dataset id or version id resolved to; `autoFrozen` names the version written just now. */
export interface ResolvedDatasetVersion {
  readonly versionId: string;
  readonly autoFrozen: { readonly id: string; readonly version: number; readonly rows: number } | null;
}

/** The note a version frozen for a job carries in the dataset's versions. */
export const AUTO_FREEZE_NOTE = 'Frozen automatically for a training job';

/**
 * What a job trains on: a dataset version id is taken as it is; a dataset id means its newest frozen
 * version (so the CLI, the UI and scripts can all say "this dataset").
 */
export function resolveDatasetVersionId(lookup: DatasetVersionLookup, id: string): string {
  if (lookup.getVersion(id)) return id;
  const dataset = lookup.get(id);
  if (!dataset) throw new AppError('NOT_FOUND', `No dataset or dataset version "${id}".`);
  const [newest] = lookup.versions(id);
  if (!newest) {
    throw new AppError(
      'BAD_INPUT',
      `Dataset "${dataset.name}" has no frozen version yet: freeze it first (a job trains on a frozen version).`,
    );
  }
  return newest.id;
}

/** A version as the auto-freeze resolver reads it (DatasetsRepository rows have these). */
interface VersionFacts {
  readonly id: string;
  readonly version: number;
  readonly rowCount: number;
  readonly note: string | null;
}

/**
 * Like resolveDatasetVersionId, but a dataset that was never frozen is frozen now (a job trains on a
 * frozen version, and asking a person to freeze first is a needless step). Concurrent callers share
 * one freeze per dataset, so preflight and create racing on a fresh dataset write one version.
 * `autoFrozen` is set whenever a dataset id resolves to a version frozen this way (now, or by the
 * preflight the form ran a moment before), so the job can say so on its timeline.
 */
export function createDatasetVersionResolver(
  lookup: Omit<DatasetVersionLookup, 'versions'> & {
    versions(datasetId: string): ReadonlyArray<VersionFacts>;
  },
  freeze: (datasetId: string, note: string) => Promise<{ id: string; version: number; rows: number }>,
): (id: string) => Promise<ResolvedDatasetVersion> {
  const inFlight = new Map<string, Promise<ResolvedDatasetVersion>>();
  return async (id) => {
    if (lookup.getVersion(id) || !lookup.get(id))
      return { versionId: resolveDatasetVersionId(lookup, id), autoFrozen: null };
    const [newest] = lookup.versions(id);
    if (newest) {
      const autoFrozen =
        newest.note === AUTO_FREEZE_NOTE
          ? { id: newest.id, version: newest.version, rows: newest.rowCount }
          : null;
      return { versionId: newest.id, autoFrozen };
    }
    let pending = inFlight.get(id);
    if (!pending) {
      pending = freeze(id, AUTO_FREEZE_NOTE)
        .then((v) => ({ versionId: v.id, autoFrozen: { id: v.id, version: v.version, rows: v.rows } }))
        .finally(() => inFlight.delete(id));
      inFlight.set(id, pending);
    }
    return pending;
  };
}
