import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Sqlite from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { SqliteConversationStore } from '../../../src/stores/sqlite/sqlite-conversation-store.ts';
import { SqliteDedupeStore } from '../../../src/stores/sqlite/sqlite-dedupe-store.ts';
import { ROOT } from '../../helpers/guides.ts';

interface Note {
  user?: string;
  count: number;
}

const HOUR = 60 * 60 * 1000;
const temp = mkdtempSync(join(tmpdir(), 'fixpath-sqlite-'));
let files = 0;
const freshPath = () => join(temp, `db-${++files}`, 'fixpath.db');
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const opened: Array<{ close(): Promise<void> }> = [];
function track<S extends { close(): Promise<void> }>(store: S): S {
  opened.push(store);
  return store;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

/** A plain connection to the same file, to look at what the store wrote. */
function inspect<T>(path: string, look: (db: Sqlite.Database) => T): T {
  const db = new Sqlite(path);
  try {
    return look(db);
  } finally {
    db.close();
  }
}

describe('the SQLite conversation store', () => {
  it('keeps conversations, guide versions and claims across a restart', async () => {
    const path = freshPath();
    const before = new SqliteConversationStore<Note>({ path });
    await before.save('k', { count: 3 }, { expectedVersion: null, ttlMs: HOUR });
    await before.saveFlowVersion('h', { flowId: 'vpn', source: 's', file: 'f' });
    await before.close();
    const claims = new SqliteDedupeStore({ path });
    expect(await claims.claim('evt', HOUR)).toBe(true);
    await claims.close();

    const after = track(new SqliteConversationStore<Note>({ path }));
    expect(await after.load('k')).toEqual({ value: { count: 3 }, version: 1 });
    expect(await after.loadFlowVersion('h')).toEqual({ flowId: 'vpn', source: 's', file: 'f' });
    expect(await track(new SqliteDedupeStore({ path })).claim('evt', HOUR)).toBe(false);
  });

  it('opens the file in WAL mode with the schema version recorded', async () => {
    const path = freshPath();
    track(new SqliteConversationStore<Note>({ path }));
    const { mode, version } = inspect(path, (db) => ({
      mode: db.pragma('journal_mode', { simple: true }),
      version: (db.prepare('SELECT version FROM schema_version').get() as { version: number }).version,
    }));
    expect(mode).toBe('wal');
    expect(version).toBe(2); // 1: conversations, guide versions, dedupe claims; 2: the escalation outbox
  });

  it('refuses a file written by a newer fixpath instead of guessing at its schema', async () => {
    const path = freshPath();
    await new SqliteConversationStore<Note>({ path }).close();
    inspect(path, (db) => db.prepare('UPDATE schema_version SET version = 99').run());
    expect(() => new SqliteConversationStore<Note>({ path })).toThrow(
      expect.objectContaining({ code: 'store_unavailable', message: expect.stringContaining('99') }),
    );
  });

  it('deletes an expired row when it is next read, and purges the rest on demand', async () => {
    const path = freshPath();
    let now = 1_000_000;
    const store = track(new SqliteConversationStore<Note>({ path, now: () => now }));
    await store.save('a', { count: 1 }, { expectedVersion: null, ttlMs: 100 });
    await store.save('b', { count: 1 }, { expectedVersion: null, ttlMs: 100 });
    await store.save('c', { count: 1 }, { expectedVersion: null, ttlMs: 100 });
    await store.save('live', { count: 1 }, { expectedVersion: null, ttlMs: HOUR });
    const rows = () =>
      inspect(path, (db) => db.prepare('SELECT key FROM conversations ORDER BY key').pluck().all());
    now += 100;
    expect(rows()).toEqual(['a', 'b', 'c', 'live']);

    expect(await store.load('a')).toBeUndefined();
    expect(rows()).toEqual(['b', 'c', 'live']);

    expect(await store.purgeExpired()).toBe(2);
    expect(rows()).toEqual(['live']);
    expect(await store.purgeExpired()).toBe(0);
  });

  it('fails a write with store_unavailable once another connection has held the lock past the busy timeout', async () => {
    const path = freshPath();
    const store = track(new SqliteConversationStore<Note>({ path, busyTimeoutMs: 100 }));
    const holder = new Sqlite(path);
    try {
      holder.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      await expect(
        store.save('k', { count: 1 }, { expectedVersion: null, ttlMs: HOUR }),
      ).rejects.toMatchObject({
        code: 'store_unavailable',
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(90);
      holder.exec('ROLLBACK');
      expect(await store.save('k', { count: 1 }, { expectedVersion: null, ttlMs: HOUR })).toBe(1);
    } finally {
      holder.close();
    }
  });

  it('fails with store_unavailable after it is closed', async () => {
    const store = new SqliteConversationStore<Note>({ path: ':memory:' });
    await store.close();
    await expect(store.load('k')).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('loses no update when writers in four processes race on one file', { timeout: 120_000 }, async () => {
    const path = freshPath();
    const seed = track(new SqliteConversationStore<Note>({ path }));
    await seed.save('race', { count: 0 }, { expectedVersion: null, ttlMs: HOUR });

    const processes = Array.from({ length: 4 }, () => startWriters(path, 'race', 50));
    await Promise.all(processes.map((p) => p.ready));
    const started = performance.now();
    const outputs = await Promise.all(processes.map((p) => p.go()));
    const elapsed = performance.now() - started;
    const conflicts = outputs.reduce((sum, out) => sum + out.conflicts, 0);
    console.info(
      `SQLite, 4 processes × 50 writers on one key: ${elapsed.toFixed(0)} ms, ` +
        `${outputs.map((o) => o.ms.toFixed(0)).join('/')} ms per process, ${conflicts} conflicts retried`,
    );
    expect(Math.min(...outputs.map((o) => o.conflicts))).toBeGreaterThan(0);

    expect(await seed.load('race')).toEqual({ value: { count: 200 }, version: 201 });
  });
});

/**
 * Starts a separate Node process that runs `writers` concurrent load-increment-save loops against
 * the database file once told to go, so several processes contend for SQLite's lock for real.
 */
function startWriters(path: string, key: string, writers: number) {
  const script = `
    const [module, path, key, writers] = process.argv.slice(1);
    const { SqliteConversationStore } = await import(module);
    const store = new SqliteConversationStore({ path });
    const increment = async () => {
      for (let conflicts = 0; ; conflicts++) {
        const loaded = await store.load(key);
        try {
          await store.save(key, { count: loaded.value.count + 1 }, { expectedVersion: loaded.version, ttlMs: ${HOUR} });
          return conflicts;
        } catch (err) {
          if (err.code !== 'store_conflict') throw err;
        }
      }
    };
    console.log('ready');
    await new Promise((resolve) => process.stdin.once('data', resolve));
    const started = performance.now();
    const conflicts = await Promise.all(Array.from({ length: Number(writers) }, increment));
    const ms = performance.now() - started;
    await store.close();
    console.log(JSON.stringify({ conflicts: conflicts.reduce((a, b) => a + b, 0), ms }));
    process.exit(0);
  `;
  const module = join(ROOT, 'src', 'stores', 'sqlite', 'sqlite-conversation-store.ts');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, module, path, key, String(writers)],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'], timeout: 60_000 },
  );
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<string>((resolve, reject) => {
      lines.once('line', resolve);
      child.once('exit', (code) => reject(new Error(`a writer process exited with ${code}`)));
    });
  const ready = next();
  return {
    ready,
    go: async () => {
      const result = next();
      child.stdin.write('go\n');
      return JSON.parse(await result) as { conflicts: number; ms: number };
    },
  };
}
