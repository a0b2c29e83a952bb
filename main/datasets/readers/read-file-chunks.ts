import { createReadStream } from 'node:fs';

/** Size of each read: large enough to keep syscalls rare, small enough to keep memory flat. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * A file as a stream of chunks, each handed to `tap` first (hashing, copying, progress) so every
 * byte is read from disk once. Memory stays at one chunk whatever the file size. `maxBytes` stops
 * early (a preview): the reader then sees the end of the file there.
 */
export async function* readFileChunks(
  path: string,
  tap?: (chunk: Buffer) => void,
  chunkBytes = CHUNK_BYTES,
  maxBytes?: number,
): AsyncGenerator<Buffer> {
  const end = maxBytes === undefined ? undefined : Math.max(0, maxBytes - 1);
  const stream = createReadStream(path, { highWaterMark: chunkBytes, end });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      tap?.(chunk);
      yield chunk;
    }
  } finally {
    stream.destroy();
  }
}
