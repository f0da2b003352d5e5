/**
 * Why a sink could not deliver: `sink_unavailable` may pass (a timeout, a 5xx, a rate limit), so the
 * deliverer tries again, no sooner than `retryAfterMs` when the sink said when; `sink_refused` will
 * not pass by itself (bad credentials, a missing project, a payload refused), so the entry is
 * dead-lettered at once, for a person to fix and `fixpath outbox retry`.
 */
export type DeliveryErrorCode = 'sink_unavailable' | 'sink_refused';

export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  readonly code: DeliveryErrorCode;
  /** The HTTP status, when the failure was an HTTP answer. */
  readonly status: number | undefined;
  /** How long the sink asked us to wait (Retry-After, a rate-limit reset). */
  readonly retryAfterMs: number | undefined;

  constructor(
    code: DeliveryErrorCode,
    message: string,
    options: { cause?: unknown; status?: number; retryAfterMs?: number } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Anything a sink threw as a DeliveryError; an unknown failure is taken as one that may pass. */
export function asDeliveryError(err: unknown, sink: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const detail = err instanceof Error ? err.message : String(err);
  return new DeliveryError('sink_unavailable', `${sink}: ${detail}`, { cause: err });
}
