import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { ConversationStore } from '../../src/stores/conversation-store.ts';
import { MemoryConversationStore } from '../../src/stores/memory/memory-conversation-store.ts';
import { MemoryOutboxStore } from '../../src/stores/memory/memory-outbox-store.ts';
import type { NewOutboxEntry, OutboxStore } from '../../src/stores/outbox-store.ts';
import { RedisConversationStore } from '../../src/stores/redis/redis-conversation-store.ts';
import { RedisOutboxStore } from '../../src/stores/redis/redis-outbox-store.ts';
import { SqliteConversationStore } from '../../src/stores/sqlite/sqlite-conversation-store.ts';
import { SqliteOutboxStore } from '../../src/stores/sqlite/sqlite-outbox-store.ts';
import { ROOT } from '../helpers/guides.ts';
import { REDIS_URL, redisForRun, requireRedis, uniqueKeyPrefix } from '../helpers/redis.ts';

/**
 * One outbox contract, every store: memory, SQLite (a file shared by several connections, and
 * `:memory:`) and Redis (a real server at 127.0.0.1:6379). Every time is passed in by the caller, so
 * all four follow the test's clock, Redis included.
 */

interface Payload {
  title: string;
}

interface Backing {
  outbox: OutboxStore<Payload>;
  conversations: ConversationStore<{ n: number }>;
  /** More outbox stores on the same data, on their own connections where the store has them. */
  deliverers(count: number): OutboxStore<Payload>[];
}

interface Subject {
  name: string;
  open(): Promise<Backing>;
}

const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-03-02T09:00:00Z');

const opened: Array<{ close(): Promise<void> }> = [];
function track<S>(store: S): S {
  const closable = store as { close?: () => Promise<void> };
  if (closable.close) opened.push(closable as { close(): Promise<void> });
  return store;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
});

const temp = mkdtempSync(join(tmpdir(), 'fixpath-outbox-'));
let files = 0;
afterAll(() => rmSync(temp, { recursive: true, force: true }));

const memory: Subject = {
  name: 'memory',
  open: async () => {
    const outbox = new MemoryOutboxStore<Payload>();
    const conversations = new MemoryConversationStore<{ n: number }>({ outbox });
    return { outbox, conversations, deliverers: (count) => Array.from({ length: count }, () => outbox) };
  },
};

const sqliteFile: Subject = {
  name: 'SQLite file',
  open: async () => {
    const path = join(temp, `run-${++files}`, 'fixpath.db');
    const conversations = track(new SqliteConversationStore<{ n: number }>({ path }));
    const outbox = track(new SqliteOutboxStore<Payload>({ path }));
    const deliverers = (count: number) =>
      Array.from({ length: count }, () => track(new SqliteOutboxStore<Payload>({ path })));
    return { outbox, conversations, deliverers };
  },
};

const sqliteMemory: Subject = {
  name: 'SQLite :memory:',
  open: async () => {
    const conversations = track(new SqliteConversationStore<{ n: number }>({ path: ':memory:' }));
    const outbox = conversations.outbox<Payload>();
    return { outbox, conversations, deliverers: (count) => Array.from({ length: count }, () => outbox) };
  },
};

const withRedis = await requireRedis();
const runPrefix = uniqueKeyPrefix();
let prefixes = 0;
redisForRun(withRedis, runPrefix, 'the Redis outbox');

const redis: Subject = {
  name: 'Redis',
  open: async () => {
    const keyPrefix = `${runPrefix}${++prefixes}:`;
    const conversations = track(new RedisConversationStore<{ n: number }>({ url: REDIS_URL, keyPrefix }));
    const outbox = track(new RedisOutboxStore<Payload>({ url: REDIS_URL, keyPrefix }));
    const deliverers = (count: number) =>
      Array.from({ length: count }, () =>
        track(new RedisOutboxStore<Payload>({ url: REDIS_URL, keyPrefix })),
      );
    return { outbox, conversations, deliverers };
  },
};

const subjects = [memory, sqliteFile, sqliteMemory, ...(withRedis ? [redis] : [])];

function entry(n: number, overrides: Partial<NewOutboxEntry<Payload>> = {}): NewOutboxEntry<Payload> {
  return {
    id: `conv-${n}:1:github`,
    conversationKey: `slack:T1:C1:${n}`,
    conversationId: `conv-${n}`,
    escalationNumber: 1,
    sink: 'github',
    guideId: 'vpn',
    reporterId: 'U1',
    ticket: { title: `ticket ${n} — naïve “quoted”` },
    createdAt: T0 + n,
    nextAttemptAt: T0 - 1_000 + n,
    ...overrides,
  };
}

describe.each(subjects.map((subject) => [subject.name, subject] as const))(
  'the %s outbox',
  (_name, subject) => {
    describe('adding and reading', () => {
      it('keeps an added entry pending with no attempts, and leaves an id already present alone', async () => {
        const { outbox } = await subject.open();
        await outbox.add([entry(1), entry(2, { linkTo: 'conv-0:1:github' })]);
        await outbox.add([entry(1, { ticket: { title: 'a second write' } })]);
        expect(await outbox.get('conv-1:1:github')).toEqual({ ...entry(1), status: 'pending', attempts: 0 });
        expect((await outbox.get('conv-2:1:github'))?.linkTo).toBe('conv-0:1:github');
        expect(await outbox.get('missing')).toBeUndefined();
        expect((await outbox.list()).map((e) => e.id)).toEqual(['conv-1:1:github', 'conv-2:1:github']);
        expect(await outbox.counts()).toEqual({ pending: 2, delivered: 0, dead: 0 });
      });

      it('finds the recent entries of one guide, from a given time on', async () => {
        const { outbox } = await subject.open();
        await outbox.add([
          entry(1, { createdAt: T0 - 2 * HOUR }),
          entry(2, { createdAt: T0 }),
          entry(3, { guideId: 'dns', createdAt: T0 }),
          entry(4, { createdAt: T0 + HOUR }),
        ]);
        expect((await outbox.recent('vpn', T0)).map((e) => e.id)).toEqual([
          'conv-2:1:github',
          'conv-4:1:github',
        ]);
        expect((await outbox.recent('dns', T0 - 3 * HOUR)).map((e) => e.id)).toEqual(['conv-3:1:github']);
        expect(await outbox.recent('nobody', 0)).toEqual([]);
      });
    });

    describe('claiming', () => {
      it('leases only due entries, oldest first, up to the limit, counting an attempt each', async () => {
        const { outbox } = await subject.open();
        await outbox.add([entry(3), entry(1), entry(2), entry(9, { nextAttemptAt: T0 + HOUR })]);
        const claimed = await outbox.claimDue('a', T0 + 100, 60_000, 2);
        expect(claimed.map((e) => e.id)).toEqual(['conv-1:1:github', 'conv-2:1:github']);
        expect(claimed[0]).toMatchObject({ attempts: 1, leaseOwner: 'a', leaseUntil: T0 + 100 + 60_000 });
        const rest = await outbox.claimDue('a', T0 + 100, 60_000, 10);
        expect(rest.map((e) => e.id)).toEqual(['conv-3:1:github']);
      });

      it('never hands a leased entry to anyone, itself included, until the lease lapses', async () => {
        const { outbox, deliverers } = await subject.open();
        const [other] = deliverers(1);
        await outbox.add([entry(1)]);
        expect(await outbox.claimDue('a', T0, 60_000, 10)).toHaveLength(1);
        expect(await outbox.claimDue('a', T0 + 1_000, 60_000, 10)).toEqual([]);
        expect(await other?.claimDue('b', T0 + 59_999, 60_000, 10)).toEqual([]);
      });

      it('lets another deliverer reclaim an entry whose lease lapsed, and refuses the old owner’s failure report', async () => {
        const { outbox, deliverers } = await subject.open();
        const [other] = deliverers(1);
        if (!other) throw new Error('no second deliverer');
        await outbox.add([entry(1)]);
        await outbox.claimDue('a', T0, 60_000, 10); // "a" dies holding the lease
        const reclaimed = await other.claimDue('b', T0 + 60_000, 60_000, 10);
        expect(reclaimed).toEqual([
          expect.objectContaining({ id: 'conv-1:1:github', attempts: 2, leaseOwner: 'b' }),
        ]);
        expect(await outbox.markFailed('conv-1:1:github', 'a', { error: 'late', retryAt: T0 })).toBe(false);
        expect(await outbox.release('conv-1:1:github', 'a', T0)).toBe(false);
        expect(await other.markFailed('conv-1:1:github', 'b', { error: 'boom', retryAt: T0 + HOUR })).toBe(
          true,
        );
      });

      it('gives each entry to exactly one of several deliverers claiming at the same moment', {
        timeout: 30_000,
      }, async () => {
        const { outbox, deliverers } = await subject.open();
        const racers = deliverers(4);
        const ids = Array.from({ length: 60 }, (_, i) => entry(i + 1));
        await outbox.add(ids);
        const claimedBy = new Map<string, string[]>();
        await Promise.all(
          racers.map(async (store, r) => {
            for (;;) {
              const batch = await store.claimDue(`deliverer-${r}`, T0 + 1_000, 60_000, 3);
              if (batch.length === 0) return;
              for (const e of batch) claimedBy.set(e.id, [...(claimedBy.get(e.id) ?? []), `deliverer-${r}`]);
            }
          }),
        );
        expect(claimedBy.size).toBe(60);
        expect([...claimedBy.values()].filter((owners) => owners.length !== 1)).toEqual([]);
      });
    });

    describe('recording outcomes', () => {
      it('records a delivery with what the sink returned, after which the entry is never claimed again', async () => {
        const { outbox } = await subject.open();
        await outbox.add([entry(1)]);
        await outbox.claimDue('a', T0, 60_000, 1);
        const result = {
          externalId: '42',
          url: 'https://github.test/acme/support/issues/42',
          label: 'acme/support#42',
        };
        expect(
          await outbox.markDelivered('conv-1:1:github', 'a', { ...result, details: { number: 42 } }),
        ).toBe(true);
        expect(await outbox.markDelivered('conv-1:1:github', 'a', { externalId: 'again' })).toBe(false);
        const stored = await outbox.get('conv-1:1:github');
        expect(stored).toMatchObject({ status: 'delivered', result: { ...result, details: { number: 42 } } });
        expect(stored?.leaseOwner).toBeUndefined();
        expect(await outbox.claimDue('a', T0 + 10 * HOUR, 60_000, 10)).toEqual([]);
        expect(await outbox.counts()).toEqual({ pending: 0, delivered: 1, dead: 0 });
      });

      it('accepts a delivery reported by a deliverer whose lease lapsed, since the send did happen', async () => {
        const { outbox } = await subject.open();
        await outbox.add([entry(1)]);
        await outbox.claimDue('a', T0, 1_000, 1);
        await outbox.claimDue('b', T0 + 1_000, 1_000, 1);
        expect(await outbox.markDelivered('conv-1:1:github', 'a', { externalId: '7' })).toBe(true);
        expect(await outbox.markFailed('conv-1:1:github', 'b', { error: 'x', retryAt: T0 })).toBe(false);
        expect((await outbox.get('conv-1:1:github'))?.status).toBe('delivered');
      });

      it('schedules the next attempt after a failure and keeps the error', async () => {
        const { outbox } = await subject.open();
        await outbox.add([entry(1)]);
        await outbox.claimDue('a', T0, 60_000, 1);
        await outbox.markFailed('conv-1:1:github', 'a', { error: 'HTTP 502', retryAt: T0 + 30_000 });
        expect(await outbox.get('conv-1:1:github')).toMatchObject({
          status: 'pending',
          attempts: 1,
          nextAttemptAt: T0 + 30_000,
          lastError: 'HTTP 502',
        });
        expect(await outbox.claimDue('a', T0 + 29_999, 60_000, 1)).toEqual([]);
        expect(await outbox.claimDue('a', T0 + 30_000, 60_000, 1)).toEqual([
          expect.objectContaining({ attempts: 2 }),
        ]);
      });

      it('gives a claim back without counting the attempt', async () => {
        const { outbox } = await subject.open();
        await outbox.add([entry(1)]);
        await outbox.claimDue('a', T0, 60_000, 1);
        expect(await outbox.release('conv-1:1:github', 'a', T0 + 5_000)).toBe(true);
        expect(await outbox.get('conv-1:1:github')).toMatchObject({ attempts: 0, nextAttemptAt: T0 + 5_000 });
        expect(await outbox.claimDue('b', T0 + 4_999, 60_000, 1)).toEqual([]);
        expect(await outbox.claimDue('b', T0 + 5_000, 60_000, 1)).toHaveLength(1);
      });

      it('dead-letters an entry, lists it, and retries it by hand as a fresh pending entry', async () => {
        const { outbox } = await subject.open();
        await outbox.add([entry(1), entry(2)]);
        await outbox.claimDue('a', T0, 60_000, 1);
        await outbox.markFailed('conv-1:1:github', 'a', { error: 'HTTP 401 Bad credentials', dead: true });
        expect(await outbox.counts()).toEqual({ pending: 1, delivered: 0, dead: 1 });
        expect((await outbox.list('dead')).map((e) => [e.id, e.lastError])).toEqual([
          ['conv-1:1:github', 'HTTP 401 Bad credentials'],
        ]);
        expect((await outbox.list('pending')).map((e) => e.id)).toEqual(['conv-2:1:github']);
        expect((await outbox.claimDue('a', T0 + 10 * HOUR, 60_000, 10)).map((e) => e.id)).toEqual([
          'conv-2:1:github',
        ]);
        await outbox.markDelivered('conv-2:1:github', 'a', { externalId: '2' });

        const retried = await outbox.retry('conv-1:1:github', T0 + 11 * HOUR);
        expect(retried).toMatchObject({ status: 'pending', attempts: 0, nextAttemptAt: T0 + 11 * HOUR });
        expect(await outbox.counts()).toEqual({ pending: 1, delivered: 1, dead: 0 });
        expect(await outbox.claimDue('a', T0 + 11 * HOUR, 60_000, 10)).toEqual([
          expect.objectContaining({ id: 'conv-1:1:github', attempts: 1 }),
        ]);
      });

      it('brings a waiting entry forward on retry, and leaves delivered, leased and unknown entries be', async () => {
        const { outbox } = await subject.open();
        await outbox.add([entry(1), entry(2), entry(3)]);
        await outbox.claimDue('a', T0 + 10, 60_000, 3);
        await outbox.markFailed('conv-1:1:github', 'a', { error: 'down', retryAt: T0 + HOUR });
        await outbox.markDelivered('conv-2:1:github', 'a', { externalId: '2' });
        expect(await outbox.retry('conv-1:1:github', T0 + 1_000)).toMatchObject({
          nextAttemptAt: T0 + 1_000,
        });
        expect(await outbox.retry('conv-2:1:github', T0 + 1_000)).toMatchObject({ status: 'delivered' });
        expect(await outbox.retry('conv-3:1:github', T0 + 1_000)).toMatchObject({ leaseOwner: 'a' });
        expect(await outbox.retry('missing', T0)).toBeUndefined();
      });
    });

    describe('written with a conversation save', () => {
      it('adds the entries in the same write as the conversation', async () => {
        const { outbox, conversations } = await subject.open();
        await conversations.save('k', { n: 1 }, { expectedVersion: null, ttlMs: HOUR });
        await conversations.save(
          'k',
          { n: 2 },
          { expectedVersion: 1, ttlMs: HOUR, outbox: [entry(1), entry(2)] },
        );
        expect((await outbox.list()).map((e) => e.id)).toEqual(['conv-1:1:github', 'conv-2:1:github']);
        expect(await outbox.get('conv-1:1:github')).toEqual({ ...entry(1), status: 'pending', attempts: 0 });
        expect(await conversations.load('k')).toEqual({ value: { n: 2 }, version: 2 });
      });

      it('adds nothing when the save is refused for a stale version', async () => {
        const { outbox, conversations } = await subject.open();
        await conversations.save('k', { n: 1 }, { expectedVersion: null, ttlMs: HOUR });
        await conversations.save('k', { n: 2 }, { expectedVersion: 1, ttlMs: HOUR });
        await expect(
          conversations.save('k', { n: 3 }, { expectedVersion: 1, ttlMs: HOUR, outbox: [entry(1)] }),
        ).rejects.toMatchObject({ code: 'store_conflict' });
        expect(await outbox.list()).toEqual([]);
        expect(await outbox.counts()).toEqual({ pending: 0, delivered: 0, dead: 0 });
      });

      it('leaves an entry already in the outbox as it is', async () => {
        const { outbox, conversations } = await subject.open();
        await outbox.add([entry(1)]);
        await outbox.claimDue('a', T0, 60_000, 1);
        await outbox.markDelivered('conv-1:1:github', 'a', { externalId: '1' });
        await conversations.save('k', { n: 1 }, { expectedVersion: null, ttlMs: HOUR, outbox: [entry(1)] });
        expect(await outbox.get('conv-1:1:github')).toMatchObject({
          status: 'delivered',
          result: { externalId: '1' },
        });
      });
    });
  },
);

describe('a memory conversation store without an outbox', () => {
  it('refuses a save that carries outbox entries instead of dropping them', async () => {
    const store = new MemoryConversationStore<{ n: number }>();
    await expect(
      store.save('k', { n: 1 }, { expectedVersion: null, ttlMs: HOUR, outbox: [entry(1)] }),
    ).rejects.toMatchObject({ code: 'store_unavailable' });
    expect(await store.load('k')).toBeUndefined();
  });
});

/**
 * A separate process claiming from one SQLite outbox until nothing is left, printing the ids it got as
 * JSON. All start claiming at one moment (argv: database, owner, start time), so start-up times do
 * not decide who gets everything, and each "sends" for a millisecond between claims.
 */
const CLAIM_WORKER = `
import { SqliteOutboxStore } from ${JSON.stringify(pathToFileURL(join(ROOT, 'src', 'stores', 'sqlite', 'sqlite-outbox-store.ts')).href)};
const [path, owner, startAt] = process.argv.slice(2);
const store = new SqliteOutboxStore({ path });
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
const claimed = [];
for (;;) {
  const batch = await store.claimDue(owner, Date.now(), 60_000, 2);
  if (batch.length === 0) break;
  claimed.push(...batch.map((entry) => entry.id));
  await new Promise((resolve) => setTimeout(resolve, 1));
}
await store.close();
process.stdout.write(JSON.stringify(claimed));
`;

describe('SQLite outbox claims from several processes', () => {
  it('give each entry to exactly one process', { timeout: 60_000 }, async () => {
    const path = join(temp, `processes-${++files}`, 'fixpath.db');
    const outbox = track(new SqliteOutboxStore<Payload>({ path }));
    await outbox.add(Array.from({ length: 200 }, (_, i) => entry(i + 1, { nextAttemptAt: 0 })));
    const worker = join(temp, `claim-worker-${files}.mts`);
    writeFileSync(worker, CLAIM_WORKER);
    const run = promisify(execFile);
    const startAt = String(Date.now() + 3_000);
    const outputs = await Promise.all(
      [1, 2, 3, 4].map((n) =>
        run(process.execPath, ['--import', 'tsx', worker, path, `process-${n}`, startAt], { cwd: ROOT }),
      ),
    );
    const claims = outputs.map((output) => JSON.parse(output.stdout) as string[]);
    const all = claims.flat();
    console.info(
      `200 entries claimed two at a time by 4 processes: ${claims.map((ids) => ids.length).join(' / ')}`,
    );
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    expect(claims.filter((ids) => ids.length > 0).length).toBeGreaterThan(1); // they really raced
  });
});

describe('an SQLite file from before the outbox', () => {
  it('gains the outbox when opened, keeping its conversations', async () => {
    const path = join(temp, `upgrade-${++files}`, 'fixpath.db');
    const old = new SqliteConversationStore<{ n: number }>({ path });
    await old.save('k', { n: 1 }, { expectedVersion: null, ttlMs: HOUR });
    await old.close();
    // Make it the file an earlier fixpath wrote: schema version 1, no outbox table.
    const Sqlite = (await import('better-sqlite3')).default;
    const raw = new Sqlite(path);
    raw.exec('DROP TABLE outbox; UPDATE schema_version SET version = 1');
    raw.close();

    const upgraded = track(new SqliteConversationStore<{ n: number }>({ path }));
    expect(await upgraded.load('k')).toEqual({ value: { n: 1 }, version: 1 });
    await upgraded.save('k', { n: 2 }, { expectedVersion: 1, ttlMs: HOUR, outbox: [entry(1)] });
    expect((await upgraded.outbox<Payload>().list()).map((e) => e.id)).toEqual(['conv-1:1:github']);
  });
});
