import type { Database } from 'better-sqlite3';
import { FixpathError } from '../../errors.ts';
import type { ConversationStore, FlowVersionStore, SaveOptions, Versioned } from '../conversation-store.ts';
import { guardSqlite, openSqliteDatabase, type SqliteOpenOptions } from './open-sqlite-database.ts';
import { prepareOutboxInsert } from './sqlite-outbox-rows.ts';
import { SqliteOutboxStore } from './sqlite-outbox-store.ts';

export interface SqliteConversationStoreOptions<T> extends SqliteOpenOptions {
  /** The clock that decides expiry, in epoch milliseconds (default `Date.now`). */
  now?: () => number;
  /** The user a value belongs to, kept in an indexed column for `listByUser`. */
  userOf?: (value: T) => string | undefined;
}

interface Row {
  value: string;
  version: number;
  expiresAt: number;
}

type FlowVersion = { flowId: string; source: string; file: string };

/**
 * Conversations in one SQLite file: the default for a single replica. Values are stored as JSON
 * text. Each save reads the version and writes inside one `BEGIN IMMEDIATE` transaction, so writers
 * in other processes (or other connections to the same file) wait for the lock instead of
 * interleaving; a version that moved on fails with `store_conflict`. Expired rows are invisible,
 * deleted when next read, and swept in bulk by `purgeExpired()`.
 */
export class SqliteConversationStore<T> implements ConversationStore<T>, FlowVersionStore {
  readonly #db: Database;
  readonly #now: () => number;
  readonly #userOf: (value: T) => string | undefined;
  readonly #sql: ReturnType<typeof prepare>;
  readonly #save: (key: string, json: string, userId: string | undefined, options: SaveOptions) => number;
  readonly #delete: (key: string, expectedVersion: number | undefined) => void;

  constructor(options: SqliteConversationStoreOptions<T>) {
    this.#now = options.now ?? Date.now;
    this.#userOf = options.userOf ?? (() => undefined);
    const db = openSqliteDatabase(options);
    this.#db = db;
    const sql = guardSqlite('prepare its statements', () => prepare(db));
    this.#sql = sql;

    const insertOutbox = guardSqlite('prepare its statements', () => prepareOutboxInsert(db));
    const save = db.transaction(
      (
        key: string,
        json: string,
        userId: string | undefined,
        { expectedVersion, ttlMs, outbox }: SaveOptions,
      ) => {
        const now = this.#now();
        const current = live(sql.select.get(key) as Row | undefined, now)?.version ?? null;
        if (current !== expectedVersion) throw conflict(key, current, expectedVersion);
        const version = (current ?? 0) + 1;
        sql.upsert.run({
          key,
          value: json,
          version,
          expiresAt: Math.ceil(now + ttlMs),
          userId: userId ?? null,
        });
        for (const entry of outbox ?? []) insertOutbox(entry);
        return version;
      },
    );
    this.#save = (...args) => save.immediate(...args);

    const remove = db.transaction((key: string, expectedVersion: number | undefined) => {
      const current = live(sql.select.get(key) as Row | undefined, this.#now())?.version;
      if (current === undefined) {
        sql.delete.run(key);
        return;
      }
      if (expectedVersion !== undefined && current !== expectedVersion) {
        throw conflict(key, current, expectedVersion);
      }
      sql.delete.run(key);
    });
    this.#delete = (...args) => remove.immediate(...args);
  }

  async load(key: string): Promise<Versioned<T> | undefined> {
    return guardSqlite('load a conversation', () => {
      const now = this.#now();
      const row = this.#sql.select.get(key) as Row | undefined;
      if (row && !live(row, now)) this.#sql.deleteExpired.run(key, now);
      const found = live(row, now);
      return found && { value: JSON.parse(found.value) as T, version: found.version };
    });
  }

  async save(key: string, value: T, options: SaveOptions): Promise<number> {
    const json = JSON.stringify(value);
    const userId = this.#userOf(value);
    return guardSqlite('save a conversation', () => this.#save(key, json, userId, options));
  }

  async delete(key: string, expectedVersion?: number): Promise<void> {
    guardSqlite('delete a conversation', () => this.#delete(key, expectedVersion));
  }

  async listByUser(userId: string): Promise<string[]> {
    return guardSqlite('list conversations', () =>
      (this.#sql.listByUser.all(userId, this.#now()) as Array<{ key: string }>).map((row) => row.key),
    );
  }

  /** Deletes every expired conversation now; returns how many went. Run it now and then to keep the file small. */
  async purgeExpired(): Promise<number> {
    return guardSqlite('purge expired conversations', () => this.#sql.purge.run(this.#now()).changes);
  }

  async saveFlowVersion(hash: string, version: FlowVersion): Promise<void> {
    guardSqlite('save a guide version', () =>
      this.#sql.insertFlow.run(hash, version.flowId, version.source, version.file),
    );
  }

  async loadFlowVersion(hash: string): Promise<FlowVersion | undefined> {
    return guardSqlite('load a guide version', () => {
      const row = this.#sql.selectFlow.get(hash) as FlowVersion | undefined;
      return row && { flowId: row.flowId, source: row.source, file: row.file };
    });
  }

  /**
   * The outbox in the same file, on this store's connection (so a `:memory:` database is shared too).
   * `save` adds the entries given in `SaveOptions.outbox` to it inside the save's own transaction.
   * Closing this store closes it as well.
   */
  outbox<P = unknown>(): SqliteOutboxStore<P> {
    return new SqliteOutboxStore<P>({ database: this.#db });
  }

  /** Closes the connection; later calls fail with `store_unavailable`. */
  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}

function prepare(db: Database) {
  return {
    select: db.prepare('SELECT value, version, expires_at AS expiresAt FROM conversations WHERE key = ?'),
    upsert: db.prepare(
      `INSERT INTO conversations (key, value, version, expires_at, user_id)
       VALUES (@key, @value, @version, @expiresAt, @userId)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, version = excluded.version,
         expires_at = excluded.expires_at, user_id = excluded.user_id`,
    ),
    delete: db.prepare('DELETE FROM conversations WHERE key = ?'),
    deleteExpired: db.prepare('DELETE FROM conversations WHERE key = ? AND expires_at <= ?'),
    listByUser: db.prepare('SELECT key FROM conversations WHERE user_id = ? AND expires_at > ? ORDER BY key'),
    purge: db.prepare('DELETE FROM conversations WHERE expires_at <= ?'),
    insertFlow: db.prepare(
      'INSERT OR IGNORE INTO flow_versions (hash, flow_id, source, file) VALUES (?, ?, ?, ?)',
    ),
    selectFlow: db.prepare('SELECT flow_id AS flowId, source, file FROM flow_versions WHERE hash = ?'),
  };
}

function live(row: Row | undefined, now: number): Row | undefined {
  return row && row.expiresAt > now ? row : undefined;
}

function conflict(key: string, current: number | null, expected: number | null): FixpathError {
  return new FixpathError(
    'store_conflict',
    `conversation ${key} is at version ${current ?? 'none'}, not ${expected ?? 'none'}`,
  );
}
