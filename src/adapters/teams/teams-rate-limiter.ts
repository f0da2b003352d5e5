/**
 * How many messages a bot may send into one conversation (Teams docs, "Optimize your bot: rate
 * limiting"): 7 a second, 8 in two seconds and 60 in thirty seconds. Teams also caps 1,800 an hour; a
 * guide's conversation, a card or two per answer, never comes near it, so that window is not tracked.
 */
export const TEAMS_CONVERSATION_LIMITS: ReadonlyArray<{ windowMs: number; max: number }> = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 2_000, max: 8 },
  { windowMs: 30_000, max: 60 },
];

/** Conversations remembered before idle ones are swept out. */
const SWEEP_AT = 1_000;

/**
 * Paces the calls of this process to each conversation so none goes over the Teams rate. `reserve`
 * books the earliest slot every window allows, in order of asking, and says how long to wait for it.
 * Bookings are synchronous, so callers racing for one conversation cannot both take the last slot.
 */
export class TeamsRateLimiter {
  readonly #booked = new Map<string, number[]>();
  readonly #limits: ReadonlyArray<{ windowMs: number; max: number }>;
  readonly #longest: number;
  readonly #now: () => number;

  constructor(
    options: { limits?: ReadonlyArray<{ windowMs: number; max: number }>; now?: () => number } = {},
  ) {
    this.#limits = options.limits ?? TEAMS_CONVERSATION_LIMITS;
    this.#longest = Math.max(...this.#limits.map((l) => l.windowMs));
    this.#now = options.now ?? Date.now;
  }

  /** Books a send to `conversationId` and returns the milliseconds to wait before making it (0: now). */
  reserve(conversationId: string): number {
    const now = this.#now();
    if (this.#booked.size >= SWEEP_AT) this.#sweep(now);
    const times = (this.#booked.get(conversationId) ?? []).filter((t) => t > now - this.#longest);
    // Keep the order of asking: never book earlier than the last booking.
    let at = Math.max(now, times[times.length - 1] ?? now);
    for (let moved = true; moved; ) {
      moved = false;
      for (const { windowMs, max } of this.#limits) {
        const inWindow = times.filter((t) => t > at - windowMs).length;
        if (inWindow < max) continue;
        // Wait until the oldest booking that would make this one too many leaves the window.
        at = (times[times.length - max] ?? at) + windowMs;
        moved = true;
      }
    }
    times.push(at);
    this.#booked.set(conversationId, times);
    return at - now;
  }

  #sweep(now: number): void {
    for (const [id, times] of this.#booked) {
      if ((times[times.length - 1] ?? 0) <= now - this.#longest) this.#booked.delete(id);
    }
  }
}
