import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isFixpathError } from '../../src/errors.ts';
import type { ConversationStore, FlowVersionStore } from '../../src/stores/conversation-store.ts';
import type { DedupeStore } from '../../src/stores/dedupe-store.ts';
import { MemoryConversationStore } from '../../src/stores/memory/memory-conversation-store.ts';
import { MemoryDedupeStore } from '../../src/stores/memory/memory-dedupe-store.ts';
import { RedisConversationStore } from '../../src/stores/redis/redis-conversation-store.ts';
import { RedisDedupeStore } from '../../src/stores/redis/redis-dedupe-store.ts';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store.ts';
import { SqliteDedupeStore } from '../../src/stores/sqlite/sqlite-dedupe-store.ts';
import { REDIS_URL, redisForRun, requireRedis, uniqueKeyPrefix } from '../helpers/redis.ts';

/**
 * One contract, every store: what the engine relies on holds for memory, SQLite (a file and
 * `:memory:`) and Redis (a real server at 127.0.0.1:6379). Memory and SQLite run on a clock the test
 * moves; Redis expires keys on its own clock, so its expiry tests wait a few hundred milliseconds.
 */

interface Note {
  user: string | null;
  count: number;
  text: string;
  tags?: Array<string | number | null>;
}

type Store = ConversationStore<Note> & FlowVersionStore;

interface Subject {
  name: string;
  /** `fake`: expiry follows the test's clock; `real`: the server's, so the test waits. */
  clock: 'fake' | 'real';
  conversations(now: () => number): Promise<Store>;
  /** Several stores on one backing store (separate connections where the store has them). */
  writers(): Promise<Store[]>;
  dedupe(now: () => number): Promise<DedupeStore>;
  /** The remaining time to live of a key, as the server reports it (Redis only). */
  pttl?(store: Store, key: string): Promise<number>;
  /** Stores pointed at something that is not there. */
  unreachable?: { conversations(): Promise<Store>; dedupe(): Promise<DedupeStore> };
}

const HOUR = 60 * 60 * 1000;
const WRITERS = 200;
const userOf = (note: Note) => note.user ?? undefined;
const note = (text: string, user: string | null = null, count = 0): Note => ({ user, count, text });

/** Everything a test opened, closed after it whether it passed or not. */
const opened: Array<{ close(): Promise<void> }> = [];
function track<S>(store: S): S {
  const closable = store as { close?: () => Promise<void> };
  if (closable.close) opened.push(closable as { close(): Promise<void> });
  return store;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const temp = mkdtempSync(join(tmpdir(), 'fixpath-stores-'));
let files = 0;
/** A database path in a folder that does not exist yet, so opening must create it. */
const freshPath = () => join(temp, `run-${++files}`, 'fixpath.db');
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const memory: Subject = {
  name: 'memory',
  clock: 'fake',
  conversations: async (now) => new MemoryConversationStore<Note>({ now, userOf }),
  writers: async () => [new MemoryConversationStore<Note>({ userOf })],
  dedupe: async (now) => new MemoryDedupeStore({ now }),
};

const sqliteUnreachable = () => {
  // A regular file where the database's folder should be: even root cannot create a folder inside it.
  const blocker = join(temp, `blocker-${++files}`);
  writeFileSync(blocker, 'not a folder');
  return join(blocker, 'nested', 'fixpath.db');
};

const sqliteFile: Subject = {
  name: 'SQLite file',
  clock: 'fake',
  conversations: async (now) => track(new SqliteConversationStore<Note>({ path: freshPath(), now, userOf })),
  writers: async () => {
    const path = freshPath();
    return Array.from({ length: 4 }, () => track(new SqliteConversationStore<Note>({ path, userOf })));
  },
  dedupe: async (now) => track(new SqliteDedupeStore({ path: freshPath(), now })),
  unreachable: {
    conversations: async () =>
      track(new SqliteConversationStore<Note>({ path: sqliteUnreachable(), userOf })),
    dedupe: async () => track(new SqliteDedupeStore({ path: sqliteUnreachable() })),
  },
};

const sqliteMemory: Subject = {
  name: 'SQLite :memory:',
  clock: 'fake',
  conversations: async (now) => track(new SqliteConversationStore<Note>({ path: ':memory:', now, userOf })),
  writers: async () => [track(new SqliteConversationStore<Note>({ path: ':memory:', userOf }))],
  dedupe: async (now) => track(new SqliteDedupeStore({ path: ':memory:', now })),
};

const withRedis = await requireRedis();
const runPrefix = uniqueKeyPrefix();
let prefixes = 0;
const admin = redisForRun(withRedis, runPrefix, 'the Redis store');

/** A port on 127.0.0.1 that nothing listens on: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const redisPrefixes = new WeakMap<Store, string>();
const redis: Subject = {
  name: 'Redis',
  clock: 'real',
  conversations: async () => {
    const keyPrefix = `${runPrefix}${++prefixes}:`;
    const store = track(new RedisConversationStore<Note>({ url: REDIS_URL, keyPrefix, userOf }));
    redisPrefixes.set(store, keyPrefix);
    return store;
  },
  writers: async () => {
    const keyPrefix = `${runPrefix}${++prefixes}:`;
    return Array.from({ length: 8 }, () =>
      track(new RedisConversationStore<Note>({ url: REDIS_URL, keyPrefix, userOf })),
    );
  },
  dedupe: async () =>
    track(new RedisDedupeStore({ url: REDIS_URL, keyPrefix: `${runPrefix}${++prefixes}:` })),
  pttl: async (store, key) => {
    return admin().pttl(`${redisPrefixes.get(store)}conversation:${key}`);
  },
  unreachable: {
    conversations: async () =>
      track(new RedisConversationStore<Note>({ url: `redis://127.0.0.1:${await closedPort()}`, userOf })),
    dedupe: async () => track(new RedisDedupeStore({ url: `redis://127.0.0.1:${await closedPort()}` })),
  },
};

const subjects = [memory, sqliteFile, sqliteMemory, ...(withRedis ? [redis] : [])];

/** How long each store took for the 200-writer race, printed once at the end. */
const raceTimings: string[] = [];
afterAll(() => {
  if (raceTimings.length > 0) console.info(`${WRITERS} writers on one key:\n${raceTimings.join('\n')}`);
});

/** Load, add one, save with the version read; on a conflict, start again. Returns how many conflicts it met. */
async function increment(store: Store, key: string): Promise<number> {
  for (let conflicts = 0; ; conflicts++) {
    const loaded = await store.load(key);
    if (!loaded) throw new Error(`${key} vanished`);
    try {
      await store.save(
        key,
        { ...loaded.value, count: loaded.value.count + 1 },
        { expectedVersion: loaded.version, ttlMs: HOUR },
      );
      return conflicts;
    } catch (err) {
      if (!isFixpathError(err, 'store_conflict')) throw err;
    }
  }
}

describe.each(subjects.map((subject) => [subject.name, subject] as const))(
  'the %s conversation store',
  (_name, subject) => {
    /** The test's clock for fake-clock stores; for Redis, moving it means waiting. */
    let now = Date.parse('2026-03-02T09:00:00Z');
    const clock = () => now;
    const advance = async (ms: number) => {
      if (subject.clock === 'real') await sleep(ms);
      else now += ms;
    };
    // Real clocks (Redis) get five times the margins, so a loaded machine cannot eat a time to live.
    const ms = (n: number) => (subject.clock === 'real' ? n * 5 : n);
    const open = () => subject.conversations(clock);

    describe('load and save', () => {
      it('finds nothing under a key never saved', async () => {
        const store = await open();
        expect(await store.load('never-saved')).toBeUndefined();
      });

      it('creates at version 1 and counts up by one on every save', async () => {
        const store = await open();
        expect(await store.save('k', note('first'), { expectedVersion: null, ttlMs: HOUR })).toBe(1);
        expect(await store.load('k')).toEqual({ value: note('first'), version: 1 });
        expect(await store.save('k', note('second'), { expectedVersion: 1, ttlMs: HOUR })).toBe(2);
        expect(await store.save('k', note('third'), { expectedVersion: 2, ttlMs: HOUR })).toBe(3);
        expect(await store.load('k')).toEqual({ value: note('third'), version: 3 });
      });

      it('gives back the value as saved, untouched by later changes to the object', async () => {
        const store = await open();
        const value: Note = {
          user: 'U1',
          count: 7,
          text: 'naïve café ✓ "quoted" \n line',
          tags: ['a', 2, null],
        };
        await store.save('k', value, { expectedVersion: null, ttlMs: HOUR });
        value.count = 99;
        value.tags?.push('late');
        expect((await store.load('k'))?.value).toEqual({
          user: 'U1',
          count: 7,
          text: 'naïve café ✓ "quoted" \n line',
          tags: ['a', 2, null],
        });
      });

      it('keeps keys apart', async () => {
        const store = await open();
        await store.save('a', note('for a'), { expectedVersion: null, ttlMs: HOUR });
        await store.save('b', note('for b'), { expectedVersion: null, ttlMs: HOUR });
        await store.save('b', note('for b again'), { expectedVersion: 1, ttlMs: HOUR });
        expect(await store.load('a')).toEqual({ value: note('for a'), version: 1 });
        expect(await store.load('b')).toEqual({ value: note('for b again'), version: 2 });
      });
    });

    describe('version checks', () => {
      it('refuses a save that names a version that has moved on, and keeps the newer value', async () => {
        const store = await open();
        await store.save('k', note('v1'), { expectedVersion: null, ttlMs: HOUR });
        await store.save('k', note('v2'), { expectedVersion: 1, ttlMs: HOUR });
        await expect(
          store.save('k', note('stale'), { expectedVersion: 1, ttlMs: HOUR }),
        ).rejects.toMatchObject({
          name: 'FixpathError',
          code: 'store_conflict',
        });
        expect(await store.load('k')).toEqual({ value: note('v2'), version: 2 });
      });

      it('refuses to create a value that already exists', async () => {
        const store = await open();
        await store.save('k', note('original'), { expectedVersion: null, ttlMs: HOUR });
        await expect(
          store.save('k', note('second create'), { expectedVersion: null, ttlMs: HOUR }),
        ).rejects.toMatchObject({ code: 'store_conflict' });
        expect(await store.load('k')).toEqual({ value: note('original'), version: 1 });
      });

      it('refuses to update a value that does not exist', async () => {
        const store = await open();
        await expect(
          store.save('k', note('ghost'), { expectedVersion: 1, ttlMs: HOUR }),
        ).rejects.toMatchObject({
          code: 'store_conflict',
        });
        expect(await store.load('k')).toBeUndefined();
      });
    });

    describe('delete', () => {
      it('deletes without a version, after which the key can be created again at version 1', async () => {
        const store = await open();
        await store.save('k', note('v1'), { expectedVersion: null, ttlMs: HOUR });
        await store.save('k', note('v2'), { expectedVersion: 1, ttlMs: HOUR });
        await store.delete('k');
        expect(await store.load('k')).toBeUndefined();
        expect(await store.save('k', note('again'), { expectedVersion: null, ttlMs: HOUR })).toBe(1);
      });

      it('deletes when the expected version is the current one', async () => {
        const store = await open();
        await store.save('k', note('v1'), { expectedVersion: null, ttlMs: HOUR });
        await store.save('k', note('v2'), { expectedVersion: 1, ttlMs: HOUR });
        await store.delete('k', 2);
        expect(await store.load('k')).toBeUndefined();
      });

      it('refuses to delete when the expected version has moved on', async () => {
        const store = await open();
        await store.save('k', note('v1'), { expectedVersion: null, ttlMs: HOUR });
        await store.save('k', note('v2'), { expectedVersion: 1, ttlMs: HOUR });
        await expect(store.delete('k', 1)).rejects.toMatchObject({ code: 'store_conflict' });
        expect(await store.load('k')).toEqual({ value: note('v2'), version: 2 });
      });

      it('takes deleting a missing key calmly, with or without a version', async () => {
        const store = await open();
        await expect(store.delete('missing')).resolves.toBeUndefined();
        await expect(store.delete('missing', 3)).resolves.toBeUndefined();
      });
    });

    describe('expiry', () => {
      const ttlMs = ms(300);

      it('forgets a value once its time to live has passed, and lets the key start again', async () => {
        const store = await open();
        await store.save('k', note('short-lived', 'U1'), { expectedVersion: null, ttlMs });
        await advance(ms(150));
        expect(await store.load('k')).toEqual({ value: note('short-lived', 'U1'), version: 1 });
        await advance(ms(250));
        expect(await store.load('k')).toBeUndefined();
        expect(await store.listByUser('U1')).toEqual([]);
        await expect(store.save('k', note('stale'), { expectedVersion: 1, ttlMs })).rejects.toMatchObject({
          code: 'store_conflict',
        });
        expect(await store.save('k', note('fresh'), { expectedVersion: null, ttlMs })).toBe(1);
      });

      it.runIf(subject.clock === 'fake')(
        'keeps a value up to the last millisecond of its time to live',
        async () => {
          const store = await open();
          await store.save('k', note('edge'), { expectedVersion: null, ttlMs });
          await advance(ttlMs - 1);
          expect((await store.load('k'))?.version).toBe(1);
          await advance(1);
          expect(await store.load('k')).toBeUndefined();
        },
      );

      it('starts the time to live again on every save', async () => {
        const store = await open();
        await store.save('k', note('v1'), { expectedVersion: null, ttlMs });
        await advance(ms(200));
        await store.save('k', note('v2'), { expectedVersion: 1, ttlMs });
        await advance(ms(200)); // 400 ms after the first save: alive only because the second renewed it
        expect(await store.load('k')).toEqual({ value: note('v2'), version: 2 });
        await advance(ms(200));
        expect(await store.load('k')).toBeUndefined();
      });

      it.runIf(subject.pttl)('sets the key’s expiry to the new time to live on every write', async () => {
        const store = await open();
        const pttl = (key: string) => subject.pttl?.(store, key) ?? Promise.resolve(Number.NaN);
        await store.save('k', note('v1'), { expectedVersion: null, ttlMs: 60_000 });
        const first = await pttl('k');
        expect(first).toBeGreaterThan(59_000);
        expect(first).toBeLessThanOrEqual(60_000);
        await store.save('k', note('v2'), { expectedVersion: 1, ttlMs: 120_000 });
        const second = await pttl('k');
        expect(second).toBeGreaterThan(119_000);
        expect(second).toBeLessThanOrEqual(120_000);
      });
    });

    describe('listing by user', () => {
      it('lists the keys of one user’s live conversations, following deletes, moves and expiry', async () => {
        const store = await open();
        await store.save('a', note('ada 1', 'ada'), { expectedVersion: null, ttlMs: HOUR });
        await store.save('b', note('ada 2', 'ada'), { expectedVersion: null, ttlMs: ms(300) });
        await store.save('c', note('bob 1', 'bob'), { expectedVersion: null, ttlMs: HOUR });
        await store.save('d', note('nobody'), { expectedVersion: null, ttlMs: HOUR });
        expect((await store.listByUser('ada')).sort()).toEqual(['a', 'b']);
        expect(await store.listByUser('bob')).toEqual(['c']);
        expect(await store.listByUser('carol')).toEqual([]);

        await store.delete('a');
        expect(await store.listByUser('ada')).toEqual(['b']);

        await store.save('c', note('now ada’s', 'ada'), { expectedVersion: 1, ttlMs: HOUR });
        expect((await store.listByUser('ada')).sort()).toEqual(['b', 'c']);
        expect(await store.listByUser('bob')).toEqual([]);

        await advance(ms(400));
        expect(await store.listByUser('ada')).toEqual(['c']);
      });
    });

    describe('guide versions', () => {
      it('keeps the first source saved under a hash and ignores later ones', async () => {
        const store = await open();
        expect(await store.loadFlowVersion('h1')).toBeUndefined();
        await store.saveFlowVersion('h1', { flowId: 'vpn', source: 'id: vpn\n', file: 'flows/vpn.yaml' });
        await store.saveFlowVersion('h1', { flowId: 'vpn', source: 'changed', file: 'elsewhere.yaml' });
        await store.saveFlowVersion('h2', {
          flowId: 'vpn',
          source: 'id: vpn # v2\n',
          file: 'flows/vpn.yaml',
        });
        expect(await store.loadFlowVersion('h1')).toEqual({
          flowId: 'vpn',
          source: 'id: vpn\n',
          file: 'flows/vpn.yaml',
        });
        expect((await store.loadFlowVersion('h2'))?.source).toBe('id: vpn # v2\n');
      });

      it('keeps guide versions when conversations expire', async () => {
        const store = await open();
        await store.saveFlowVersion('h1', { flowId: 'vpn', source: 's', file: 'f' });
        await store.save('k', note('x'), { expectedVersion: null, ttlMs: ms(100) });
        await advance(ms(200));
        expect(await store.loadFlowVersion('h1')).toEqual({ flowId: 'vpn', source: 's', file: 'f' });
      });
    });

    describe('dedupe claims', () => {
      it('grants a claim once, refuses repeats, and grants it again after it lapses', async () => {
        const dedupe = await subject.dedupe(clock);
        expect(await dedupe.claim('evt-1', ms(300))).toBe(true);
        expect(await dedupe.claim('evt-1', ms(300))).toBe(false);
        expect(await dedupe.claim('evt-2', ms(300))).toBe(true);
        await advance(ms(150));
        expect(await dedupe.claim('evt-1', ms(300))).toBe(false);
        await advance(ms(250));
        expect(await dedupe.claim('evt-1', ms(300))).toBe(true);
        expect(await dedupe.claim('evt-1', ms(300))).toBe(false);
      });

      it('grants exactly one of many simultaneous claims on one key', async () => {
        const dedupe = await subject.dedupe(clock);
        const results = await Promise.all(Array.from({ length: 20 }, () => dedupe.claim('evt-race', HOUR)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });
    });

    describe('concurrent writers', () => {
      it(`loses no update when ${WRITERS} writers race on one key`, { timeout: 60_000 }, async () => {
        const stores = await subject.writers();
        const first = stores[0];
        if (!first) throw new Error('no writers');
        await first.save('race', note('counter'), { expectedVersion: null, ttlMs: HOUR });
        await Promise.all(stores.map((store) => store.load('race'))); // connect every writer before timing

        const started = performance.now();
        const conflicts = await Promise.all(
          Array.from({ length: WRITERS }, (_, i) => increment(stores[i % stores.length] ?? first, 'race')),
        );
        const elapsed = performance.now() - started;
        const total = conflicts.reduce((sum, n) => sum + n, 0);
        raceTimings.push(
          `  ${subject.name} (${stores.length} connection${stores.length > 1 ? 's' : ''}): ${elapsed.toFixed(0)} ms, ${total} conflicts retried`,
        );

        for (const store of stores) {
          expect(await store.load('race')).toEqual({
            value: note('counter', null, WRITERS),
            version: WRITERS + 1,
          });
        }
        expect(total).toBeGreaterThan(0); // the writers really did race
      });
    });

    describe.runIf(subject.unreachable)('when the backing store is not there', () => {
      const within = 3_000;

      it('fails conversation calls with store_unavailable promptly, without hanging or crashing', async () => {
        const started = performance.now();
        const attempt = async () => {
          const store = await subject.unreachable?.conversations();
          await store?.save('k', note('x'), { expectedVersion: null, ttlMs: HOUR });
          await store?.load('k');
        };
        await expect(attempt()).rejects.toMatchObject({ name: 'FixpathError', code: 'store_unavailable' });
        expect(performance.now() - started).toBeLessThan(within);
      });

      it('fails dedupe claims with store_unavailable promptly', async () => {
        const started = performance.now();
        const attempt = async () => (await subject.unreachable?.dedupe())?.claim('evt', HOUR);
        await expect(attempt()).rejects.toMatchObject({ code: 'store_unavailable' });
        expect(performance.now() - started).toBeLessThan(within);
      });

      it('keeps the underlying failure as the cause', async () => {
        const attempt = async () => (await subject.unreachable?.conversations())?.load('k');
        const error = await attempt().then(
          () => undefined,
          (err: unknown) => err,
        );
        expect(isFixpathError(error, 'store_unavailable')).toBe(true);
        expect((error as Error).cause).toBeDefined();
      });
    });
  },
);
