import type { Database } from 'better-sqlite3';
import { FixpathError } from '../../errors.ts';

/**
 * The schema, one step per release that changed it. Never edit a step that has shipped: append a
 * new one. `schema_version` holds how many steps a database has run, so opening an older file
 * brings it up to date and opening a newer one fails instead of guessing.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE conversations (
     key TEXT PRIMARY KEY,
     value TEXT NOT NULL,
     version INTEGER NOT NULL,
     expires_at INTEGER NOT NULL,
     user_id TEXT
   ) STRICT;
   CREATE INDEX conversations_by_user ON conversations (user_id, expires_at);
   CREATE INDEX conversations_by_expiry ON conversations (expires_at);
   CREATE TABLE flow_versions (
     hash TEXT PRIMARY KEY,
     flow_id TEXT NOT NULL,
     source TEXT NOT NULL,
     file TEXT NOT NULL
   ) STRICT;
   CREATE TABLE dedupe_claims (
     key TEXT PRIMARY KEY,
     expires_at INTEGER NOT NULL
   ) STRICT;
   CREATE INDEX dedupe_claims_by_expiry ON dedupe_claims (expires_at);`,
  `CREATE TABLE outbox (
     id TEXT PRIMARY KEY,
     conversation_key TEXT NOT NULL,
     conversation_id TEXT NOT NULL,
     escalation_number INTEGER NOT NULL,
     sink TEXT NOT NULL,
     guide_id TEXT NOT NULL,
     reporter_id TEXT NOT NULL,
     ticket TEXT NOT NULL,
     link_to TEXT,
     created_at INTEGER NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
     attempts INTEGER NOT NULL DEFAULT 0,
     next_attempt_at INTEGER NOT NULL,
     lease_owner TEXT,
     lease_until INTEGER,
     result TEXT,
     last_error TEXT
   ) STRICT;
   CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
   CREATE INDEX outbox_by_guide ON outbox (guide_id, created_at);`,
];

/** Brings the database to the newest schema inside one write transaction, so two processes opening at once agree. */
export function migrateSqlite(db: Database): void {
  db.transaction(() => {
    db.exec('CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL) STRICT');
    const row = db.prepare('SELECT version FROM schema_version').get() as { version: number } | undefined;
    const current = row?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new FixpathError(
        'store_unavailable',
        `the SQLite store has schema version ${current}, newer than this fixpath knows (${MIGRATIONS.length})`,
      );
    }
    for (const step of MIGRATIONS.slice(current)) db.exec(step);
    if (row) db.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length);
    else db.prepare('INSERT INTO schema_version (version) VALUES (?)').run(MIGRATIONS.length);
  }).immediate();
}
