import type { NewOutboxEntry } from './outbox-store.ts';

/**
 * The port every conversation store implements (memory now; SQLite and Redis behind the same
 * contract). Writes are optimistic: `save` names the version it read, and a store that holds any
 * other version refuses with `store_conflict` instead of overwriting, so two replicas or a double
 * click can never lose an update.
 *
 * Values must survive a JSON round trip (SQLite and Redis keep JSON text): plain objects, arrays,
 * strings, finite numbers, booleans and null. Every store passes `tests/contract/stores.test.ts`.
 */
export interface Versioned<T> {
  value: T;
  /** Starts at 1 on create and grows by one on every save. */
  version: number;
}

export interface SaveOptions {
  /** The version the caller read, or `null` when it expects no value to exist yet. */
  expectedVersion: number | null;
  /** Idle lifetime: the value disappears this long after the save unless saved again. */
  ttlMs: number;
  /**
   * Outbox entries to add in the same write: both are stored or neither is (one SQLite transaction,
   * one Redis script, one step in memory). An id already in the outbox is left as it is. A store
   * with no outbox refuses the save with `store_unavailable` rather than drop them.
   */
  outbox?: readonly NewOutboxEntry[];
}

export interface ConversationStore<T> {
  load(key: string): Promise<Versioned<T> | undefined>;
  /** Returns the new version; throws FixpathError `store_conflict` when the version moved on. */
  save(key: string, value: T, options: SaveOptions): Promise<number>;
  /** Deletes only if the stored version is `expectedVersion` (when given); a missing key is fine. */
  delete(key: string, expectedVersion?: number): Promise<void>;
  /** Keys of live values whose `userId` index matches, for "your open conversations"; in no set order. */
  listByUser(userId: string): Promise<string[]>;
}

/** Keeps every version of each guide's source, so conversations can finish on the version they began with. */
export interface FlowVersionStore {
  saveFlowVersion(hash: string, version: { flowId: string; source: string; file: string }): Promise<void>;
  loadFlowVersion(hash: string): Promise<{ flowId: string; source: string; file: string } | undefined>;
}
