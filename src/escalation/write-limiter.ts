import type { WriteLimits } from './sink.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/**
 * Keeps the writes of each sink inside its limits, in this process: a sliding window per minute and
 * per hour, a minimum spacing, and a pause until a time the sink named (a 429's Retry-After). Each
 * replica keeps its own, so with several replicas divide the limits between them.
 */
export class WriteLimiter {
  readonly #limits: ReadonlyMap<string, WriteLimits>;
  readonly #writes = new Map<string, number[]>();
  readonly #pausedUntil = new Map<string, number>();

  constructor(limits: ReadonlyMap<string, WriteLimits>) {
    this.#limits = limits;
  }

  /** The earliest time `sink` may write again: `now` or before when it may write now. */
  nextWriteAt(sink: string, now: number): number {
    const limits = this.#limits.get(sink) ?? {};
    const writes = this.#recent(sink, now);
    let at = Math.max(now, this.#pausedUntil.get(sink) ?? 0);
    const last = writes.at(-1);
    if (limits.minIntervalMs !== undefined && last !== undefined)
      at = Math.max(at, last + limits.minIntervalMs);
    at = Math.max(at, windowFree(writes, limits.perMinute, MINUTE));
    at = Math.max(at, windowFree(writes, limits.perHour, HOUR));
    return at;
  }

  /** Counts a write made at `now`. */
  record(sink: string, now: number): void {
    this.#writes.set(sink, [...this.#recent(sink, now), now]);
  }

  /** Holds every write of `sink` until `until`. */
  pause(sink: string, until: number): void {
    this.#pausedUntil.set(sink, Math.max(until, this.#pausedUntil.get(sink) ?? 0));
  }

  #recent(sink: string, now: number): number[] {
    const writes = (this.#writes.get(sink) ?? []).filter((at) => at > now - HOUR);
    this.#writes.set(sink, writes);
    return writes;
  }
}

/** When a window of `windowMs` holding at most `limit` writes has room again (0 when it has room now). */
function windowFree(writes: readonly number[], limit: number | undefined, windowMs: number): number {
  if (limit === undefined || writes.length < limit) return 0;
  const oldestThatCounts = writes[writes.length - limit];
  return oldestThatCounts === undefined ? 0 : oldestThatCounts + windowMs;
}
