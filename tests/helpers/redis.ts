import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createRedisClient } from '../../src/stores/redis/redis-connection.ts';

/** Where the Redis tests expect a server: the machine's own, never anything remote. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/** Whether a Redis at 127.0.0.1:6379 answers PING within a second. */
export async function redisAvailable(url = REDIS_URL): Promise<boolean> {
  const client = createRedisClient(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    connectTimeout: 1_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/**
 * Whether to run the Redis tests. Without a Redis they are skipped on a developer's machine, but
 * under CI (`CI=true`) a missing Redis is a failure, never a silent skip: this rejects, failing the
 * test file that awaited it with the message below.
 */
export async function requireRedis(url = REDIS_URL): Promise<boolean> {
  if (await redisAvailable(url)) return true;
  if (process.env.CI === 'true') throw new Error(`Redis is required at ${new URL(url).host} under CI`);
  return false;
}

/** A key prefix no other run or test shares, so tests never see each other's keys. */
export function uniqueKeyPrefix(): string {
  return `fixpath-test:${process.pid}-${randomUUID()}:`;
}

/** Deletes every key under `prefix` (SCAN, not KEYS, so a busy server is not blocked). */
export async function deleteKeysUnder(client: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * For a test file whose Redis keys all sit under `prefix`: a client to inspect them, opened before
 * the file's tests and closed after, once every key under `prefix` is deleted. Without a Redis (never
 * under CI, see `requireRedis`) it registers a skipped test that says why `what` did not run.
 */
export function redisForRun(withRedis: boolean, prefix: string, what: string): () => Redis {
  let admin: Redis | undefined;
  if (withRedis) {
    beforeAll(() => {
      admin = createRedisClient(REDIS_URL);
    });
    afterAll(async () => {
      if (!admin) return;
      await deleteKeysUnder(admin, prefix);
      await admin.quit();
    });
  } else {
    describe(what, () => {
      it.skip(`runs only with a Redis at ${new URL(REDIS_URL).host} (none answered)`, () => {});
    });
  }
  return () => {
    if (!admin) throw new Error('no Redis client: the tests that need one run only with a Redis');
    return admin;
  };
}
