/**
 * The port of the escalation outbox: one entry per escalation and sink, written in the same store
 * write as the conversation transition that filed it (`SaveOptions.outbox`), then sent by a
 * deliverer. Entries are leased: `claimDue` hands each due entry to exactly one deliverer until its
 * lease lapses, so replicas sharing a store never send the same entry at the same time, and an entry
 * whose deliverer died is claimed again once its lease runs out.
 *
 * The store does not know what a ticket is: `ticket` is any value that survives a JSON round trip.
 * Times are epoch milliseconds, always passed in by the caller, so every store follows one clock.
 * Every store passes `tests/contract/outbox-stores.test.ts`.
 */
export type OutboxStatus = 'pending' | 'delivered' | 'dead';

/** What a sink returned for an entry, kept so a later attempt or a person can find the ticket. */
export interface DeliveryResult {
  /** The sink's own id: a Jira key, an issue number, a message ts, a file name. */
  externalId?: string;
  url?: string;
  /** How to name it to a person: "PROJ-123", "acme/support#42". */
  label?: string;
  /** Sink-specific details: issue number, channel, message ts, file path. */
  details?: Record<string, string | number>;
  /** When the escalation was added to an earlier ticket instead of filing one: that ticket. */
  linkedTo?: { externalId?: string; url?: string; label?: string };
}

/** An entry as the engine writes it: everything but the delivery state. */
export interface NewOutboxEntry<P = unknown> {
  /** Unique per escalation and sink: `${conversationId}:${escalationNumber}:${sink}`. */
  id: string;
  conversationKey: string;
  conversationId: string;
  escalationNumber: number;
  sink: string;
  /** Indexed for duplicate detection: recent escalations of a guide, and who reported them. */
  guideId: string;
  reporterId: string;
  ticket: P;
  /** Set when this escalation repeats an open one: the id of that one's entry for the same sink. */
  linkTo?: string;
  createdAt: number;
  nextAttemptAt: number;
}

export interface OutboxEntry<P = unknown> extends NewOutboxEntry<P> {
  status: OutboxStatus;
  /** Claims so far: a claim counts as an attempt, so an attempt cut short by a crash still counts. */
  attempts: number;
  result?: DeliveryResult;
  lastError?: string;
  leaseOwner?: string;
  leaseUntil?: number;
}

/** A failed attempt: try again at `retryAt`, or give up (`dead`) until someone retries it by hand. */
export type OutboxFailure = { error: string; retryAt: number } | { error: string; dead: true };

export interface OutboxCounts {
  pending: number;
  delivered: number;
  dead: number;
}

export interface OutboxStore<P = unknown> {
  /** Adds entries outside a conversation save; an id already present is left as it is. */
  add(entries: readonly NewOutboxEntry<P>[]): Promise<void>;
  get(id: string): Promise<OutboxEntry<P> | undefined>;
  /**
   * Leases up to `limit` pending entries that are due (`nextAttemptAt <= now`) and not leased by
   * anyone (or whose lease lapsed, `leaseUntil <= now`) to `owner` until `now + leaseMs`, counting
   * one attempt each; oldest due first. Atomic: of two deliverers claiming at once, each entry goes
   * to one of them.
   */
  claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxEntry<P>[]>;
  /**
   * Records what the sink returned and ends the entry's life as `delivered`. Accepted from any
   * deliverer while the entry is pending (the send happened, whoever holds the lease now); false
   * when the entry is missing or no longer pending.
   */
  markDelivered(id: string, owner: string, result: DeliveryResult): Promise<boolean>;
  /** Schedules the next attempt or dead-letters; only while `owner` holds the lease (false otherwise). */
  markFailed(id: string, owner: string, failure: OutboxFailure): Promise<boolean>;
  /**
   * Gives a claimed entry back untried (a sink's write limit was reached, or the ticket it links to is
   * not filed yet): the claim's attempt is not counted. Only while `owner` holds the lease.
   */
  release(id: string, owner: string, nextAttemptAt: number): Promise<boolean>;
  /** Every entry (or those with `status`), oldest first. */
  list(status?: OutboxStatus): Promise<OutboxEntry<P>[]>;
  /**
   * Makes an entry due at `now`: a dead one becomes pending with its attempts reset; a pending one
   * that nobody holds is brought forward. Returns the entry as it now is, or undefined when there is
   * no such entry; a delivered or currently leased entry is returned unchanged.
   */
  retry(id: string, now: number): Promise<OutboxEntry<P> | undefined>;
  /** Entries of a guide created at or after `since`, oldest first, for duplicate detection. */
  recent(guideId: string, since: number): Promise<OutboxEntry<P>[]>;
  counts(): Promise<OutboxCounts>;
}
