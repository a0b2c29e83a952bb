import type { RawData } from 'ws';
import { type WsRequest, WsRequestSchema } from '../../preload/contract';

/** A parsed request, or why it was refused and the id to answer with (-1 when none is recoverable). */
export type ParsedWsRequest =
  | { readonly ok: true; readonly request: WsRequest }
  | { readonly ok: false; readonly id: number; readonly message: string };

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Parse one WebSocket message as JSON and then as `WsRequestSchema`, never throwing. */
export function parseWsRequest(data: RawData): ParsedWsRequest {
  let text: string;
  try {
    text = decoder.decode(toBuffer(data));
  } catch {
    return { ok: false, id: -1, message: 'the message is not valid UTF-8' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, id: -1, message: `the message is not valid JSON (${detail})` };
  }
  const parsed = WsRequestSchema.safeParse(json);
  if (parsed.success) return { ok: true, request: parsed.data };
  const message = parsed.error.issues
    .map(
      (issue) => `${issue.path.length === 0 ? 'message' : `\`${issue.path.join('.')}\``}: ${issue.message}`,
    )
    .join('; ');
  return { ok: false, id: recoverId(json), message: `expected { id, channel, input }: ${message}` };
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/** The request's id when it is usable even though the rest is not, so the client can match the error. */
function recoverId(json: unknown): number {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return -1;
  const id: unknown = (json as { readonly id?: unknown }).id;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : -1;
}
