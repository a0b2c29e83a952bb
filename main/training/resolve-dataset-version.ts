import { AppError } from '../errors';

/** The look-ups the resolver needs (DatasetsRepository has them). */
export interface DatasetVersionLookup {
  getVersion(id: string): { readonly id: string } | undefined;
  get(id: string): { readonly name: string } | undefined;
  /** A dataset's versions, newest first. */
  versions(datasetId: string): ReadonlyArray<{ readonly id: string }>;
}

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
