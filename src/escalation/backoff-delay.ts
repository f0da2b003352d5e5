export interface BackoffOptions {
  /** The wait after the first failed attempt (default 2 s); it doubles with each further one. */
  baseMs?: number;
  /** The longest wait (default 1 h). */
  maxMs?: number;
}

/**
 * How long to wait after failed attempt number `attempt` (1-based): exponential, capped, with
 * "equal jitter" (half fixed, half random) so entries that failed together do not retry together,
 * yet never sooner than half the exponential wait.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
) {
  const { baseMs = 2_000, maxMs = 60 * 60 * 1000 } = options;
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 40)));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
