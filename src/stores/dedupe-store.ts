/**
 * The port that drops repeated deliveries: Slack retries an event it thinks went unanswered, and
 * Teams may deliver an activity twice. The adapter claims the event's id before running a turn and
 * skips the turn when the claim fails. A claim is atomic, so two replicas handed the same delivery
 * at once cannot both win (Redis), and it survives a restart (SQLite).
 */
export interface DedupeStore {
  /** True the first time `key` is claimed within `ttlMs`; false for every repeat until it lapses. */
  claim(key: string, ttlMs: number): Promise<boolean>;
}
