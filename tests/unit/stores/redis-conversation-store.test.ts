import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRedisClient } from '../../../src/stores/redis/redis-connection.ts';
import { RedisConversationStore } from '../../../src/stores/redis/redis-conversation-store.ts';
import { deleteKeysUnder, REDIS_URL, requireRedis, uniqueKeyPrefix } from '../../helpers/redis.ts';

interface Note {
  user?: string;
  count: number;
}

const HOUR = 60 * 60 * 1000;
const userOf = (note: Note) => note.user;
const withRedis = await requireRedis();
const runPrefix = uniqueKeyPrefix();
let prefixes = 0;
let admin: Redis;

const opened: Array<{ close(): Promise<void> }> = [];
function open(options: { keyPrefix?: string; client?: Redis } = {}) {
  const keyPrefix = options.keyPrefix ?? `${runPrefix}${++prefixes}:`;
  // A loaded machine can take more than the default second to connect; these tests are not about that.
  const readyTimeoutMs = 10_000;
  const store = options.client
    ? new RedisConversationStore<Note>({ client: options.client, keyPrefix, userOf, readyTimeoutMs })
    : new RedisConversationStore<Note>({ url: REDIS_URL, keyPrefix, userOf, readyTimeoutMs });
  opened.push(store);
  return { store, keyPrefix };
}

/** Every key under a prefix: SCAN walks the whole keyspace in pages, however many other keys it holds. */
async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, page] = await admin.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    keys.push(...page);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

describe.runIf(withRedis)('the Redis conversation store', () => {
  beforeAll(() => {
    admin = createRedisClient(REDIS_URL);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });
  afterAll(async () => {
    await deleteKeysUnder(admin, runPrefix);
    await admin.quit();
  });

  it('writes only under its key prefix: one hash per conversation, one index per user, one key per guide version', async () => {
    const { store, keyPrefix } = open();
    await store.save('slack:T1:C1:1712.1', { user: 'ada', count: 1 }, { expectedVersion: null, ttlMs: HOUR });
    await store.saveFlowVersion('abc', { flowId: 'vpn', source: 's', file: 'f' });
    const keys = (await keysUnder(keyPrefix)).sort();
    expect(keys).toEqual([
      `${keyPrefix}conversation:slack:T1:C1:1712.1`,
      `${keyPrefix}flow:abc`,
      `${keyPrefix}user:ada`,
    ]);
    expect(await admin.hgetall(`${keyPrefix}conversation:slack:T1:C1:1712.1`)).toEqual({
      v: '1',
      d: JSON.stringify({ user: 'ada', count: 1 }),
      u: 'ada',
    });
    expect(await admin.pttl(`${keyPrefix}flow:abc`)).toBe(-1);
  });

  it('drops expired, deleted and moved conversations from the user index', async () => {
    const { store, keyPrefix } = open();
    const index = `${keyPrefix}user:ada`;
    await store.save('short', { user: 'ada', count: 1 }, { expectedVersion: null, ttlMs: 1500 });
    await store.save('gone', { user: 'ada', count: 1 }, { expectedVersion: null, ttlMs: HOUR });
    await store.save('moves', { user: 'ada', count: 1 }, { expectedVersion: null, ttlMs: HOUR });
    expect(await admin.zcard(index)).toBe(3);

    await sleep(1700);
    await store.save('kept', { user: 'ada', count: 1 }, { expectedVersion: null, ttlMs: HOUR });
    expect((await admin.zrange(index, '0', '-1')).sort()).toEqual(['gone', 'kept', 'moves']);

    await store.delete('gone');
    await store.save('moves', { user: 'bob', count: 2 }, { expectedVersion: 1, ttlMs: HOUR });
    expect(await admin.zrange(index, '0', '-1')).toEqual(['kept']);
    expect(await admin.zrange(`${keyPrefix}user:bob`, '0', '-1')).toEqual(['moves']);
  });

  it('lets a user index expire with its last member instead of living forever', async () => {
    const { store, keyPrefix } = open();
    await store.save('a', { user: 'ada', count: 1 }, { expectedVersion: null, ttlMs: 60_000 });
    await store.save('b', { user: 'ada', count: 1 }, { expectedVersion: null, ttlMs: 120_000 });
    await store.save('a', { user: 'ada', count: 2 }, { expectedVersion: 1, ttlMs: 30_000 });
    const ttl = await admin.pttl(`${keyPrefix}user:ada`);
    expect(ttl).toBeGreaterThan(119_000);
    expect(ttl).toBeLessThanOrEqual(120_000);
  });

  it('sends a script in full when the server has forgotten it', async () => {
    const { store } = open();
    await store.save('k', { count: 1 }, { expectedVersion: null, ttlMs: HOUR });
    await admin.script('FLUSH');
    expect(await store.save('k', { count: 2 }, { expectedVersion: 1, ttlMs: HOUR })).toBe(2);
    await admin.script('FLUSH');
    await store.delete('k', 2);
    expect(await store.load('k')).toBeUndefined();
  });

  it('leaves a client it was given open, and connects one that has not connected yet', async () => {
    const client = createRedisClient(REDIS_URL, { lazyConnect: true });
    try {
      const { store } = open({ client });
      expect(client.status).toBe('wait');
      expect(await store.save('k', { count: 1 }, { expectedVersion: null, ttlMs: HOUR })).toBe(1);
      await store.close();
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.quit();
    }
  });

  it('comes back by itself after its connection is killed, failing only with store_unavailable meanwhile', async () => {
    const client = createRedisClient(REDIS_URL);
    try {
      const { store } = open({ client });
      await store.save('k', { count: 1 }, { expectedVersion: null, ttlMs: HOUR });
      await admin.client('KILL', 'ID', String(await client.client('ID')));
      const failures: unknown[] = [];
      const deadline = performance.now() + 3_000;
      let loaded: unknown;
      while (loaded === undefined && performance.now() < deadline) {
        loaded = await store.load('k').catch((err: unknown) => {
          failures.push(err);
          return sleep(50).then(() => undefined);
        });
      }
      expect(loaded).toEqual({ value: { count: 1 }, version: 1 });
      expect(failures.every((err) => (err as { code?: string }).code === 'store_unavailable')).toBe(true);
    } finally {
      client.disconnect();
    }
  });

  it('closes a client it opened itself, after which calls fail with store_unavailable', async () => {
    const { store } = open();
    await store.load('k');
    await store.close();
    await expect(store.load('k')).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('fails with store_unavailable within its ready timeout when the server accepts but never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => {
      sockets.push(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      const store = new RedisConversationStore<Note>({
        url: `redis://127.0.0.1:${address.port}`,
        readyTimeoutMs: 300,
      });
      opened.push(store);
      const started = performance.now();
      await expect(store.load('k')).rejects.toMatchObject({ code: 'store_unavailable' });
      const elapsed = performance.now() - started;
      expect(elapsed).toBeGreaterThanOrEqual(250);
      expect(elapsed).toBeLessThan(1_500);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
