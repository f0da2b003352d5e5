import type { Database } from 'better-sqlite3';
import type {
  DeliveryResult,
  NewOutboxEntry,
  OutboxCounts,
  OutboxEntry,
  OutboxFailure,
  OutboxStatus,
  OutboxStore,
} from '../outbox-store.ts';
import { guardSqlite, openSqliteDatabase, type SqliteOpenOptions } from './open-sqlite-database.ts';
import { type OutboxRow, outboxEntryOf, prepareOutboxInsert } from './sqlite-outbox-rows.ts';

/** A database file to open (closed by `close()`), or a connection to share (left open). */
export type SqliteOutboxStoreOptions = SqliteOpenOptions | { database: Database };

/**
 * The outbox in the SQLite file, beside the conversations, so a conversation save adds its entries
 * in its own transaction. A claim is one `UPDATE … RETURNING` inside `BEGIN IMMEDIATE`: processes
 * sharing the file take the write lock in turn, so each due entry is leased to one of them.
 */
export class SqliteOutboxStore<P = unknown> implements OutboxStore<P> {
  readonly #db: Database;
  readonly #owned: boolean;
  readonly #sql: ReturnType<typeof prepare>;
  readonly #insert: (entries: readonly NewOutboxEntry<P>[]) => void;
  readonly #claim: (owner: string, now: number, leaseMs: number, limit: number) => OutboxRow[];
  readonly #retry: (id: string, now: number) => OutboxRow | undefined;

  constructor(options: SqliteOutboxStoreOptions) {
    this.#owned = !('database' in options);
    const db = 'database' in options ? options.database : openSqliteDatabase(options);
    this.#db = db;
    const sql = guardSqlite('prepare its statements', () => prepare(db));
    this.#sql = sql;
    const insertOne = guardSqlite('prepare its statements', () => prepareOutboxInsert(db));
    const insert = db.transaction((entries: readonly NewOutboxEntry<P>[]) => {
      for (const entry of entries) insertOne(entry);
    });
    this.#insert = (entries) => insert.immediate(entries);
    const claim = db.transaction(
      (owner: string, now: number, leaseMs: number, limit: number) =>
        sql.claim.all({ owner, now, until: Math.ceil(now + leaseMs), limit }) as OutboxRow[],
    );
    this.#claim = (...args) => claim.immediate(...args);
    const retry = db.transaction((id: string, now: number) => {
      if (sql.retryDead.run({ id, now }).changes === 0) sql.retryPending.run({ id, now });
      return sql.get.get(id) as OutboxRow | undefined;
    });
    this.#retry = (...args) => retry.immediate(...args);
  }

  async add(entries: readonly NewOutboxEntry<P>[]): Promise<void> {
    guardSqlite('add outbox entries', () => this.#insert(entries));
  }

  async get(id: string): Promise<OutboxEntry<P> | undefined> {
    return guardSqlite('read an outbox entry', () => {
      const row = this.#sql.get.get(id) as OutboxRow | undefined;
      return row && outboxEntryOf<P>(row);
    });
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxEntry<P>[]> {
    if (limit <= 0) return [];
    return guardSqlite('claim outbox entries', () =>
      this.#claim(owner, now, leaseMs, limit)
        .map((row) => outboxEntryOf<P>(row))
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id.localeCompare(b.id)),
    );
  }

  async markDelivered(id: string, _owner: string, result: DeliveryResult): Promise<boolean> {
    return guardSqlite(
      'record a delivery',
      () => this.#sql.delivered.run({ id, result: JSON.stringify(result) }).changes === 1,
    );
  }

  async markFailed(id: string, owner: string, failure: OutboxFailure): Promise<boolean> {
    return guardSqlite('record a failed delivery', () => {
      const run =
        'dead' in failure
          ? this.#sql.dead.run({ id, owner, error: failure.error })
          : this.#sql.failed.run({ id, owner, error: failure.error, retryAt: Math.round(failure.retryAt) });
      return run.changes === 1;
    });
  }

  async release(id: string, owner: string, nextAttemptAt: number): Promise<boolean> {
    return guardSqlite(
      'release an outbox entry',
      () => this.#sql.release.run({ id, owner, at: Math.round(nextAttemptAt) }).changes === 1,
    );
  }

  async list(status?: OutboxStatus): Promise<OutboxEntry<P>[]> {
    return guardSqlite('list the outbox', () => {
      const rows = (status ? this.#sql.listStatus.all(status) : this.#sql.listAll.all()) as OutboxRow[];
      return rows.map((row) => outboxEntryOf<P>(row));
    });
  }

  async retry(id: string, now: number): Promise<OutboxEntry<P> | undefined> {
    return guardSqlite('retry an outbox entry', () => {
      const row = this.#retry(id, Math.round(now));
      return row && outboxEntryOf<P>(row);
    });
  }

  async recent(guideId: string, since: number): Promise<OutboxEntry<P>[]> {
    return guardSqlite('read recent escalations', () =>
      (this.#sql.recent.all(guideId, Math.floor(since)) as OutboxRow[]).map((row) => outboxEntryOf<P>(row)),
    );
  }

  async counts(): Promise<OutboxCounts> {
    return guardSqlite('count the outbox', () => {
      const counts: OutboxCounts = { pending: 0, delivered: 0, dead: 0 };
      for (const row of this.#sql.counts.all() as Array<{ status: OutboxStatus; n: number }>) {
        counts[row.status] = row.n;
      }
      return counts;
    });
  }

  /** Closes the connection if this store opened it; a shared connection is left to its owner. */
  async close(): Promise<void> {
    if (this.#owned && this.#db.open) this.#db.close();
  }
}

function prepare(db: Database) {
  return {
    get: db.prepare('SELECT * FROM outbox WHERE id = ?'),
    claim: db.prepare(
      `UPDATE outbox SET attempts = attempts + 1, lease_owner = @owner, lease_until = @until
       WHERE id IN (
         SELECT id FROM outbox
         WHERE status = 'pending' AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
         ORDER BY next_attempt_at, id
         LIMIT @limit)
       RETURNING *`,
    ),
    delivered: db.prepare(
      `UPDATE outbox SET status = 'delivered', result = @result, lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND status = 'pending'`,
    ),
    failed: db.prepare(
      `UPDATE outbox SET next_attempt_at = @retryAt, last_error = @error, lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND status = 'pending' AND lease_owner = @owner`,
    ),
    dead: db.prepare(
      `UPDATE outbox SET status = 'dead', last_error = @error, lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND status = 'pending' AND lease_owner = @owner`,
    ),
    release: db.prepare(
      `UPDATE outbox SET attempts = MAX(0, attempts - 1), next_attempt_at = @at, lease_owner = NULL,
         lease_until = NULL
       WHERE id = @id AND status = 'pending' AND lease_owner = @owner`,
    ),
    retryDead: db.prepare(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = @now, lease_owner = NULL,
         lease_until = NULL
       WHERE id = @id AND status = 'dead'`,
    ),
    retryPending: db.prepare(
      `UPDATE outbox SET next_attempt_at = MIN(next_attempt_at, @now), lease_owner = NULL, lease_until = NULL
       WHERE id = @id AND status = 'pending' AND (lease_until IS NULL OR lease_until <= @now)`,
    ),
    listAll: db.prepare('SELECT * FROM outbox ORDER BY created_at, id'),
    listStatus: db.prepare('SELECT * FROM outbox WHERE status = ? ORDER BY created_at, id'),
    recent: db.prepare('SELECT * FROM outbox WHERE guide_id = ? AND created_at >= ? ORDER BY created_at, id'),
    counts: db.prepare('SELECT status, COUNT(*) AS n FROM outbox GROUP BY status'),
  };
}
