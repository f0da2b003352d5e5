import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite, { type Database } from 'better-sqlite3';
import { FixpathError } from '../../errors.ts';
import { migrateSqlite } from './migrate-sqlite.ts';

export interface SqliteOpenOptions {
  /** The database file (its folder is created when missing), or `':memory:'` for a private database. */
  path: string;
  /**
   * How long a write waits for another process's lock before failing with `store_unavailable`
   * (default 5 s). Writes hold the lock for well under a millisecond, so this is only reached when
   * something else keeps the file locked.
   */
  busyTimeoutMs?: number;
}

const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens one connection in WAL mode (readers never wait for the writer; several processes may share
 * the file) and runs the migrations. Every failure, from a folder that cannot be created to a file
 * that is not a database, becomes `store_unavailable` with the original error as its cause.
 */
export function openSqliteDatabase({
  path,
  busyTimeoutMs = DEFAULT_BUSY_TIMEOUT_MS,
}: SqliteOpenOptions): Database {
  let db: Database | undefined;
  try {
    if (path !== ':memory:' && path !== '') mkdirSync(dirname(path), { recursive: true });
    db = new Sqlite(path, { timeout: busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    migrateSqlite(db);
    return db;
  } catch (err) {
    db?.close();
    throw guardFailure(err, `cannot open the SQLite store at ${path}`);
  }
}

/** Runs one synchronous database operation, turning a driver failure into `store_unavailable`. */
export function guardSqlite<T>(what: string, operation: () => T): T {
  try {
    return operation();
  } catch (err) {
    throw guardFailure(err, `the SQLite store failed to ${what}`);
  }
}

function guardFailure(err: unknown, message: string): FixpathError {
  if (err instanceof FixpathError) return err;
  const detail = err instanceof Error ? `: ${err.message}` : '';
  return new FixpathError('store_unavailable', `${message}${detail}`, { cause: err });
}
