import type { ApiError, Channel, ErrorCode } from '../../../preload/contract';

/** A request that came back `ok: false`, thrown by `ApiClient.call` so callers can `try`/`catch`. */
export class ApiCallError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(
    readonly channel: Channel,
    error: ApiError,
  ) {
    super(error.message);
    this.name = 'ApiCallError';
    this.code = error.code;
    this.details = error.details;
  }

  /** The error as it crossed the boundary. */
  toApiError(): ApiError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** Any thrown value as an `ApiError` a person can read (used where a store keeps the last error). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiCallError) return error.toApiError();
  if (error instanceof Error) return { code: 'INTERNAL', message: error.message };
  return { code: 'INTERNAL', message: String(error) };
}
