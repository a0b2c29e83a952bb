/**
 * What the library records about an artifact beyond its columns (the `meta_json` column): the
 * weights file, its files, the step, the run's config and metrics, the dataset version and the base
 * model's config hash. Parsed leniently: an older row missing a field reads as null.
 */
import { z } from 'zod';
import { ArtifactFileSchema, ArtifactMetricsSchema } from '../../preload/contract';

const Json = z.record(z.string(), z.unknown());

export const ArtifactMetaSchema = z.object({
  weightsFile: z.string().nullable().catch(null),
  step: z.number().int().nullable().catch(null),
  checkpointStep: z.number().int().nullable().catch(null),
  files: z.array(ArtifactFileSchema).catch([]),
  adapterConfig: Json.nullable().catch(null),
  config: Json.nullable().catch(null),
  metrics: ArtifactMetricsSchema.catch({
    finalLoss: null,
    bestLoss: null,
    finalEvalLoss: null,
    bestEvalLoss: null,
    bestEvalStep: null,
  }),
  datasetVersionId: z.string().nullable().catch(null),
  baseModelConfigHash: z.string().nullable().catch(null),
});
export type ArtifactMeta = z.infer<typeof ArtifactMetaSchema>;

/** Read a row's meta_json; anything unreadable becomes the empty meta. */
export function parseArtifactMeta(json: string): ArtifactMeta {
  let raw: unknown = {};
  try {
    raw = JSON.parse(json);
  } catch {
    raw = {};
  }
  const withDefaults = {
    weightsFile: null,
    step: null,
    checkpointStep: null,
    files: [],
    adapterConfig: null,
    config: null,
    metrics: {},
    datasetVersionId: null,
    baseModelConfigHash: null,
    ...(typeof raw === 'object' && raw !== null ? raw : {}),
  };
  return ArtifactMetaSchema.parse(withDefaults);
}
