import { DeliveryError } from '../../escalation/delivery-error.ts';

/**
 * A failed send to Teams as the outbox deliverer needs it: a throttle or an outage that outlasted the
 * transport's own retries (408, 412, 429, 5xx), or no answer at all, may pass and is tried again; a
 * refusal (403 when the person blocked fixpath, 404 for a conversation that is gone) will not pass and
 * is dead-lettered at once. The connector's `statusCode` is kept.
 */
export function teamsDeliveryError(err: unknown, what: string): DeliveryError {
  const status = ((err ?? {}) as { statusCode?: unknown }).statusCode;
  const code = typeof status === 'number' ? status : 0;
  const passing = code === 0 || code === 408 || code === 412 || code === 429 || code >= 500;
  const detail = err instanceof Error ? err.message : String(err);
  return new DeliveryError(passing ? 'sink_unavailable' : 'sink_refused', `${what}: ${detail}`, {
    cause: err,
    ...(code ? { status: code } : {}),
  });
}
