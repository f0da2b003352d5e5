import { DeliveryError } from '../../escalation/delivery-error.ts';

/** Platform errors that pass with time; any other refusal (channel_not_found, not_in_channel…) is final. */
const PASSING = new Set([
  'ratelimited',
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** A Web API failure as the deliverer needs it: may it pass, and when to try again. */
export function slackDeliveryError(err: unknown, what: string): DeliveryError {
  const e = (err ?? {}) as {
    code?: unknown;
    retryAfter?: unknown;
    statusCode?: unknown;
    data?: { error?: unknown };
  };
  const detail = err instanceof Error ? err.message : String(err);
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new DeliveryError('sink_unavailable', `${what}: rate limited`, {
        cause: err,
        status: 429,
        ...(typeof e.retryAfter === 'number' ? { retryAfterMs: e.retryAfter * 1000 } : {}),
      });
    case 'slack_webapi_platform_error': {
      const code = typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
      return new DeliveryError(PASSING.has(code) ? 'sink_unavailable' : 'sink_refused', `${what}: ${code}`, {
        cause: err,
      });
    }
    case 'slack_webapi_http_error': {
      const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
      const passing = status === 0 || status === 408 || status === 429 || status >= 500;
      return new DeliveryError(passing ? 'sink_unavailable' : 'sink_refused', `${what}: HTTP ${status}`, {
        cause: err,
        status,
      });
    }
    default:
      return new DeliveryError('sink_unavailable', `${what}: ${detail}`, { cause: err });
  }
}
