import type {
  DeliveryResult,
  NewOutboxEntry,
  OutboxCounts,
  OutboxEntry,
  OutboxFailure,
  OutboxStatus,
  OutboxStore,
} from '../outbox-store.ts';

/**
 * The outbox in this process's memory: for tests and the CLI only (a restart loses every entry).
 * Hand it to `MemoryConversationStore` as `outbox` so a conversation save can add entries in the
 * same step. Entries are copied on the way in and out, as with the JSON-backed stores.
 */
export class MemoryOutboxStore<P = unknown> implements OutboxStore<P> {
  readonly #entries = new Map<string, OutboxEntry<P>>();

  /** Adds entries synchronously, so a conversation save can do it in the same step as its write. */
  insert(entries: readonly NewOutboxEntry<P>[]): void {
    for (const entry of entries) {
      if (this.#entries.has(entry.id)) continue;
      this.#entries.set(entry.id, { ...structuredClone(entry), status: 'pending', attempts: 0 });
    }
  }

  async add(entries: readonly NewOutboxEntry<P>[]): Promise<void> {
    this.insert(entries);
  }

  async get(id: string): Promise<OutboxEntry<P> | undefined> {
    const entry = this.#entries.get(id);
    return entry && structuredClone(entry);
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxEntry<P>[]> {
    const due = [...this.#entries.values()]
      .filter(
        (e) =>
          e.status === 'pending' &&
          e.nextAttemptAt <= now &&
          (e.leaseUntil === undefined || e.leaseUntil <= now),
      )
      .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id.localeCompare(b.id))
      .slice(0, Math.max(0, limit));
    for (const entry of due) {
      entry.attempts += 1;
      entry.leaseOwner = owner;
      entry.leaseUntil = now + leaseMs;
    }
    return due.map((e) => structuredClone(e));
  }

  async markDelivered(id: string, _owner: string, result: DeliveryResult): Promise<boolean> {
    const entry = this.#entries.get(id);
    if (entry?.status !== 'pending') return false;
    entry.status = 'delivered';
    entry.result = structuredClone(result);
    clearLease(entry);
    return true;
  }

  async markFailed(id: string, owner: string, failure: OutboxFailure): Promise<boolean> {
    const entry = this.#held(id, owner);
    if (!entry) return false;
    entry.lastError = failure.error;
    if ('dead' in failure) entry.status = 'dead';
    else entry.nextAttemptAt = failure.retryAt;
    clearLease(entry);
    return true;
  }

  async release(id: string, owner: string, nextAttemptAt: number): Promise<boolean> {
    const entry = this.#held(id, owner);
    if (!entry) return false;
    entry.attempts = Math.max(0, entry.attempts - 1);
    entry.nextAttemptAt = nextAttemptAt;
    clearLease(entry);
    return true;
  }

  async list(status?: OutboxStatus): Promise<OutboxEntry<P>[]> {
    return this.#sorted([...this.#entries.values()].filter((e) => !status || e.status === status));
  }

  async retry(id: string, now: number): Promise<OutboxEntry<P> | undefined> {
    const entry = this.#entries.get(id);
    if (!entry) return undefined;
    if (entry.status === 'dead') {
      entry.status = 'pending';
      entry.attempts = 0;
      entry.nextAttemptAt = now;
      clearLease(entry);
    } else if (entry.status === 'pending' && (entry.leaseUntil === undefined || entry.leaseUntil <= now)) {
      entry.nextAttemptAt = Math.min(entry.nextAttemptAt, now);
      clearLease(entry);
    }
    return structuredClone(entry);
  }

  async recent(guideId: string, since: number): Promise<OutboxEntry<P>[]> {
    return this.#sorted(
      [...this.#entries.values()].filter((e) => e.guideId === guideId && e.createdAt >= since),
    );
  }

  async counts(): Promise<OutboxCounts> {
    const counts: OutboxCounts = { pending: 0, delivered: 0, dead: 0 };
    for (const entry of this.#entries.values()) counts[entry.status] += 1;
    return counts;
  }

  #held(id: string, owner: string): OutboxEntry<P> | undefined {
    const entry = this.#entries.get(id);
    return entry?.status === 'pending' && entry.leaseOwner === owner ? entry : undefined;
  }

  #sorted(entries: OutboxEntry<P>[]): OutboxEntry<P>[] {
    return entries
      .sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))
      .map((e) => structuredClone(e));
  }
}

function clearLease(entry: OutboxEntry<unknown>): void {
  delete entry.leaseOwner;
  delete entry.leaseUntil;
}
