import { DeliveryError } from '../delivery-error.ts';
import { redactSecrets } from '../redact-secrets.ts';

/** `fetch` as the sinks use it, handed in by the composition root (and by tests, pointed at a fake). */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

export interface HttpOptions {
  /** Names the sink in error messages. */
  sink: string;
  /** How long to wait for the answer before taking it as a failure that may pass (default 15 s). */
  timeoutMs?: number;
  /** The clock used to turn an HTTP-date `Retry-After` into a wait. */
  now?: () => number;
}

/** Longer waits than this are taken as this: a wrong or hostile header must not park an entry for months. */
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;

/**
 * Sends one request and returns the response when it succeeded (2xx). Anything else becomes a
 * `DeliveryError`: a timeout, a network failure, 408, 429, 5xx and GitHub's rate-limit 403s may pass
 * (with the wait the server asked for, from `Retry-After` or `x-ratelimit-reset`); any other answer
 * is refused. The error keeps a short, redacted excerpt of the answer.
 */
export async function sendHttp(
  http: Fetch,
  url: string,
  init: RequestInit,
  options: HttpOptions,
): Promise<Response> {
  const { sink, timeoutMs = 15_000, now = Date.now } = options;
  let response: Response;
  try {
    response = await http(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
    const what = timedOut ? `no answer within ${timeoutMs} ms` : 'the request failed';
    const method = init.method ?? 'GET';
    throw new DeliveryError('sink_unavailable', `${sink}: ${method} ${pathOf(url)}: ${what}`, { cause: err });
  }
  if (response.ok) return response;
  throw await failureOf(response, init.method ?? 'GET', url, sink, now());
}

/** The JSON body of a successful answer; a body that is not JSON counts as a failure that may pass. */
export async function readJson(response: Response, sink: string): Promise<unknown> {
  try {
    return await response.json();
  } catch (err) {
    throw new DeliveryError('sink_unavailable', `${sink}: the answer was not JSON`, { cause: err });
  }
}

async function failureOf(response: Response, method: string, url: string, sink: string, now: number) {
  const { status, headers } = response;
  const text = await response.text().catch(() => '');
  const excerpt = redactSecrets(text.replace(/\s+/g, ' ').trim()).slice(0, 300);
  const message = `${sink}: ${method} ${pathOf(url)} answered ${status}${excerpt ? `: ${excerpt}` : ''}`;
  const retryAfterMs = retryAfter(headers, now);
  const passing =
    status === 408 ||
    status === 425 ||
    status === 429 ||
    status >= 500 ||
    (status === 403 && retryAfterMs !== undefined);
  return new DeliveryError(passing ? 'sink_unavailable' : 'sink_refused', message, {
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

/** The wait a server asked for: `Retry-After` (seconds or an HTTP date), else an exhausted `x-ratelimit-reset`. */
export function retryAfter(headers: Headers, now: number): number | undefined {
  const header = headers.get('retry-after')?.trim();
  if (header) {
    const waitMs = /^\d+$/.test(header) ? Number(header) * 1000 : Date.parse(header) - now;
    if (Number.isFinite(waitMs)) return Math.min(Math.max(0, waitMs), MAX_RETRY_AFTER_MS);
  }
  const reset = headers.get('x-ratelimit-reset');
  if (headers.get('x-ratelimit-remaining') === '0' && reset && /^\d+$/.test(reset)) {
    return Math.min(Math.max(0, Number(reset) * 1000 - now), MAX_RETRY_AFTER_MS);
  }
  return undefined;
}

/** A URL without its query, for messages: queries may carry search terms. */
function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}
