import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, sep } from 'node:path';
import { contentType } from './content-type';
import { resolveStaticPath } from './resolve-static-path';

/** The static folder, already resolved to its real path, and the headers every response carries. */
export interface StaticSite {
  readonly root: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly log: (message: string, error?: unknown) => void;
}

/** Serve one GET/HEAD request from the static folder: the file, index.html for app routes, else 404. */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  site: StaticSite,
): Promise<void> {
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const target = resolveStaticPath(queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt));
  if (target.kind === 'invalid') return sendText(res, site, 400, `Bad request: ${target.reason}.\n`);
  if (target.kind === 'not-found') return sendText(res, site, 404, 'Not found.\n');

  const file =
    (await findFile(site.root, target.segments)) ??
    (target.spaFallback ? await findFile(site.root, ['index.html']) : null);
  if (file === null) return sendText(res, site, 404, 'Not found.\n');

  res.writeHead(200, {
    ...site.headers,
    'Content-Type': contentType(file.path),
    'Content-Length': String(file.size),
    // index.html names the hashed assets of the current build: never reuse a stale copy.
    'Cache-Control': file.path.endsWith(`${sep}index.html`) ? 'no-store' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file.path);
  stream.on('error', (error) => {
    site.log(`serve: reading ${file.path} failed`, error);
    res.destroy();
  });
  res.on('close', () => stream.destroy());
  stream.pipe(res);
}

/** A regular file under `root` (after following symlinks), or null. */
async function findFile(
  root: string,
  segments: ReadonlyArray<string>,
): Promise<{ readonly path: string; readonly size: number } | null> {
  try {
    const real = await realpath(join(root, ...segments));
    if (!real.startsWith(root + sep)) return null;
    const info = await stat(real);
    return info.isFile() ? { path: real, size: info.size } : null;
  } catch {
    return null;
  }
}

/** A short plain-text answer (errors), with the security headers and no caching. */
export function sendText(
  res: ServerResponse,
  site: Pick<StaticSite, 'headers'>,
  status: number,
  body: string,
): void {
  // A refused request's body is never read: close the connection so no client reuses it mid-body.
  if (hasBody(res.req)) res.setHeader('Connection', 'close');
  res.writeHead(status, {
    ...site.headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    'Cache-Control': 'no-store',
  });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}
