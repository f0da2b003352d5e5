import { setTimeout as wait } from 'node:timers/promises';

/**
 * What Teams asks bots to retry: 429 (throttled), 412 (the message is busy with another update), 502 and
 * 504 (gateway errors). Everything else is an answer, good or bad, and is returned at once.
 */
export const RETRY_STATUSES: ReadonlySet<number> = new Set([412, 429, 502, 504]);

export interface BackoffPolicy {
  /** Tries in all, the first one included. */
  maxAttempts: number;
  /** The first backoff; it doubles on each retry, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A `Retry-After` longer than this is not waited for: the call gives up instead of holding the
   * conversation's queue (and a Teams invoke would have timed out long before).
   */
  maxRetryAfterMs: number;
}

export const TEAMS_BACKOFF: BackoffPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
};

/** The parts of an HTTP response the retry decision reads. */
export interface RetryableResponse {
  status: number;
  headers: { get(name: string): string | null };
}

export interface BackoffOptions {
  policy?: BackoffPolicy;
  /** In [0, 1): the jitter source. */
  random?: () => number;
  sleep?: (ms: number) => Promise<unknown>;
  now?: () => number;
  /** Called before each wait, e.g. to log the throttle. */
  onRetry?: (retry: { status: number; attempt: number; delayMs: number }) => void;
}

/**
 * Sends until the answer is not a retryable status, the attempts run out or the server asks for a
 * longer pause than the policy allows; returns the last response either way, for the caller to judge.
 * Waits honour `Retry-After` (seconds or an HTTP date); without one, exponential backoff with jitter.
 */
export async function sendWithBackoff<R extends RetryableResponse>(
  send: () => Promise<R>,
  options: BackoffOptions = {},
): Promise<R> {
  const policy = options.policy ?? TEAMS_BACKOFF;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? wait;
  const now = options.now ?? Date.now;
  for (let attempt = 1; ; attempt++) {
    const response = await send();
    const delayMs = retryDelayMs(response, attempt, { policy, random, now });
    if (delayMs === undefined) return response;
    options.onRetry?.({ status: response.status, attempt, delayMs });
    await sleep(delayMs);
  }
}

/**
 * How long to wait before trying again after attempt number `attempt` (1-based) got `response`, or
 * undefined to stop. Without `Retry-After` the wait is "equal jitter": half of the exponential step
 * fixed, half random, so retries spread out but never come back at once.
 */
export function retryDelayMs(
  response: RetryableResponse,
  attempt: number,
  { policy, random, now }: { policy: BackoffPolicy; random: () => number; now: () => number },
): number | undefined {
  if (!RETRY_STATUSES.has(response.status) || attempt >= policy.maxAttempts) return undefined;
  const retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
  if (retryAfter !== undefined) {
    if (retryAfter > policy.maxRetryAfterMs) return undefined;
    // Retry-After is the least to wait: a little jitter on top keeps replicas from returning in step.
    return retryAfter + Math.floor((random() * policy.baseDelayMs) / 4);
  }
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(step / 2 + (random() * step) / 2);
}

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // An HTTP date names its day and month ("Wed, 21 Oct 2015 07:28:00 GMT"); a bare "-5" is no date.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}
