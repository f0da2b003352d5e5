import type { DedupeStore } from '../dedupe-store.ts';
import { RedisConnection, type RedisConnectionOptions, type RedisSource } from './redis-connection.ts';

/**
 * Delivery claims in Redis, shared by every replica: a claim is one `SET key 1 PX ttl NX`, so of
 * two replicas handed the same retry at once exactly one wins, and the claim lapses by itself.
 */
export class RedisDedupeStore implements DedupeStore {
  readonly #redis: RedisConnection;
  readonly #prefix: string;

  constructor(options: RedisSource & RedisConnectionOptions & { keyPrefix?: string }) {
    this.#redis = new RedisConnection(options);
    this.#prefix = options.keyPrefix ?? 'fixpath:';
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.#redis.run('claim a delivery', (client) =>
      client.set(`${this.#prefix}dedupe:${key}`, '1', 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
    );
    return reply === 'OK';
  }

  /** Closes the connection if this store opened it from a URL; a client passed in stays open. */
  async close(): Promise<void> {
    await this.#redis.close();
  }
}
