/**
 * Every failure fixpath reports on purpose carries a code from this union, so callers branch on
 * `err.code`, never on message text. `cause` keeps the original error for logs.
 */
export type ErrorCode =
  | 'flow_invalid'
  | 'flow_not_found'
  | 'flow_version_missing'
  | 'event_rejected'
  | 'store_conflict'
  | 'store_unavailable'
  | 'config_invalid'
  | 'usage'
  | 'internal';

export class FixpathError extends Error {
  override readonly name = 'FixpathError';
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export function isFixpathError(err: unknown, code?: ErrorCode): err is FixpathError {
  return err instanceof FixpathError && (code === undefined || err.code === code);
}

/** Wraps anything thrown into a FixpathError, keeping the original as `cause`. */
export function asFixpathError(err: unknown): FixpathError {
  if (err instanceof FixpathError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new FixpathError('internal', message, { cause: err });
}
