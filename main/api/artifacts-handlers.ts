import type { ChannelInput, GgufStatus } from '../../preload/contract';
import type { ArtifactLibrary } from '../artifacts/artifact-library';
import type { Handlers } from './api-router';

type ArtifactChannels =
  | 'models.list'
  | 'models.get'
  | 'models.delete'
  | 'models.copy'
  | 'models.checkpoints'
  | 'models.promote'
  | 'models.exportOllama'
  | 'models.merge'
  | 'models.generate'
  | 'models.ggufStatus'
  | 'models.exportGguf';

/** The model library's channels. */
export function createArtifactsHandlers(deps: {
  readonly library: ArtifactLibrary;
  /** Start a merge task; returns its id. */
  readonly merge: (id: string, dtype: 'bf16' | 'fp16' | 'fp32') => string;
  /** Start a try-it session (a task); returns its id. */
  readonly generate: (input: ChannelInput<'models.generate'>) => string;
  readonly ggufStatus: () => Promise<GgufStatus>;
  /** Start a GGUF conversion task; returns its id. */
  readonly exportGguf: (id: string, outType: 'f32' | 'f16' | 'bf16' | 'q8_0') => Promise<string>;
}): Pick<Handlers, ArtifactChannels> {
  const { library, merge, generate, ggufStatus, exportGguf } = deps;
  return {
    'models.list': () => library.list(),
    'models.get': ({ id }) => library.get(id),
    'models.delete': ({ id, deleteFiles }) => library.delete(id, deleteFiles === true),
    'models.copy': ({ id, to }) => library.copy(id, to),
    'models.checkpoints': ({ jobId }) => library.checkpoints(jobId),
    'models.promote': ({ jobId, step }) => library.promote(jobId, step),
    'models.exportOllama': ({ id, name }) => library.exportOllama(id, name),
    'models.merge': ({ id, dtype }) => ({ taskId: merge(id, dtype ?? 'bf16') }),
    'models.generate': (input) => ({ sessionId: generate(input) }),
    'models.ggufStatus': () => ggufStatus(),
    'models.exportGguf': async ({ id, outType }) => ({ taskId: await exportGguf(id, outType ?? 'f16') }),
  };
}
