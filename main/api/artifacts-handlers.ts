import type { ArtifactLibrary } from '../artifacts/artifact-library';
import type { Handlers } from './api-router';

type ArtifactChannels =
  | 'models.list'
  | 'models.get'
  | 'models.delete'
  | 'models.copy'
  | 'models.checkpoints'
  | 'models.promote'
  | 'models.exportOllama';

/** The model library's channels. */
export function createArtifactsHandlers(deps: {
  readonly library: ArtifactLibrary;
}): Pick<Handlers, ArtifactChannels> {
  const { library } = deps;
  return {
    'models.list': () => library.list(),
    'models.get': ({ id }) => library.get(id),
    'models.delete': ({ id, deleteFiles }) => library.delete(id, deleteFiles === true),
    'models.copy': ({ id, to }) => library.copy(id, to),
    'models.checkpoints': ({ jobId }) => library.checkpoints(jobId),
    'models.promote': ({ jobId, step }) => library.promote(jobId, step),
    'models.exportOllama': ({ id, name }) => library.exportOllama(id, name),
  };
}
