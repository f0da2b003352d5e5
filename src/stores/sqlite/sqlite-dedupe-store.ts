import type { Database } from 'better-sqlite3';
import type { DedupeStore } from '../dedupe-store.ts';
import { guardSqlite, openSqliteDatabase, type SqliteOpenOptions } from './open-sqlite-database.ts';

/**
 * Delivery claims in the SQLite file, so a retry that arrives after a restart is still dropped.
 * A claim is `INSERT OR IGNORE` inside `BEGIN IMMEDIATE`, after sweeping the claims that lapsed.
 */
export class SqliteDedupeStore implements DedupeStore {
  readonly #db: Database;
  readonly #claim: (key: string, ttlMs: number) => boolean;

  constructor(options: SqliteOpenOptions & { now?: () => number }) {
    const now = options.now ?? Date.now;
    const db = openSqliteDatabase(options);
    this.#db = db;
    const { sweep, insert } = guardSqlite('prepare its statements', () => ({
      sweep: db.prepare('DELETE FROM dedupe_claims WHERE expires_at <= ?'),
      insert: db.prepare('INSERT OR IGNORE INTO dedupe_claims (key, expires_at) VALUES (?, ?)'),
    }));
    const claim = db.transaction((key: string, ttlMs: number) => {
      const at = now();
      sweep.run(at);
      return insert.run(key, Math.ceil(at + ttlMs)).changes === 1;
    });
    this.#claim = (key, ttlMs) => claim.immediate(key, ttlMs);
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return guardSqlite('claim a delivery', () => this.#claim(key, ttlMs));
  }

  async close(): Promise<void> {
    if (this.#db.open) this.#db.close();
  }
}
