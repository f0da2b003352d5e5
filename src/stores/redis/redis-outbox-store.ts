import type {
  DeliveryResult,
  NewOutboxEntry,
  OutboxCounts,
  OutboxEntry,
  OutboxFailure,
  OutboxStatus,
  OutboxStore,
} from '../outbox-store.ts';
import {
  ADD_OUTBOX,
  CLAIM_OUTBOX,
  MARK_DELIVERED,
  MARK_FAILED,
  RELEASE_OUTBOX,
  RETRY_OUTBOX,
} from './outbox-scripts.ts';
import { RedisConnection, type RedisConnectionOptions, type RedisSource } from './redis-connection.ts';
import { encodeOutboxEntries, outboxEntryFromHash } from './redis-outbox-fields.ts';

export type RedisOutboxStoreOptions = RedisSource &
  RedisConnectionOptions & {
    /** The same prefix as the conversation store's (default `fixpath:`): its saves add entries here. */
    keyPrefix?: string;
  };

/**
 * The outbox in Redis, shared by every replica. Each change of state is one Lua script, so a claim
 * leases each due entry to exactly one deliverer, and a lease that lapses (its replica died) makes
 * the entry claimable again by itself. Like the conversation store, it needs a standalone or
 * Sentinel server, not Redis Cluster.
 */
export class RedisOutboxStore<P = unknown> implements OutboxStore<P> {
  readonly #redis: RedisConnection;
  readonly #prefix: string;

  constructor(options: RedisOutboxStoreOptions) {
    this.#redis = new RedisConnection(options);
    this.#prefix = `${options.keyPrefix ?? 'fixpath:'}outbox:`;
  }

  async add(entries: readonly NewOutboxEntry<P>[]): Promise<void> {
    if (entries.length === 0) return;
    await this.#redis.eval(
      'add outbox entries',
      ADD_OUTBOX,
      [],
      [this.#prefix, encodeOutboxEntries(entries)],
    );
  }

  async get(id: string): Promise<OutboxEntry<P> | undefined> {
    const hash = await this.#redis.run('read an outbox entry', (client) =>
      client.hgetall(this.#entryKey(id)),
    );
    return outboxEntryFromHash<P>(hash);
  }

  async claimDue(owner: string, now: number, leaseMs: number, limit: number): Promise<OutboxEntry<P>[]> {
    if (limit <= 0) return [];
    const hashes = (await this.#redis.eval(
      'claim outbox entries',
      CLAIM_OUTBOX,
      [],
      [this.#prefix, owner, ms(now), ms(Math.ceil(now + leaseMs)), Math.floor(limit)],
    )) as string[][];
    return hashes.flatMap((hash) => outboxEntryFromHash<P>(hash) ?? []);
  }

  async markDelivered(id: string, _owner: string, result: DeliveryResult): Promise<boolean> {
    const done = await this.#redis.eval(
      'record a delivery',
      MARK_DELIVERED,
      [],
      [this.#prefix, id, JSON.stringify(result)],
    );
    return done === 1;
  }

  async markFailed(id: string, owner: string, failure: OutboxFailure): Promise<boolean> {
    const retryAt = 'dead' in failure ? '' : ms(failure.retryAt);
    const done = await this.#redis.eval(
      'record a failed delivery',
      MARK_FAILED,
      [],
      [this.#prefix, id, owner, failure.error, retryAt],
    );
    return done === 1;
  }

  async release(id: string, owner: string, nextAttemptAt: number): Promise<boolean> {
    const done = await this.#redis.eval(
      'release an outbox entry',
      RELEASE_OUTBOX,
      [],
      [this.#prefix, id, owner, ms(nextAttemptAt)],
    );
    return done === 1;
  }

  async list(status?: OutboxStatus): Promise<OutboxEntry<P>[]> {
    const ids = await this.#redis.run('list the outbox', (client) =>
      client.zrange(`${this.#prefix}all`, '0', '-1'),
    );
    const entries = await this.#read(ids);
    return status ? entries.filter((e) => e.status === status) : entries;
  }

  async retry(id: string, now: number): Promise<OutboxEntry<P> | undefined> {
    const hash = (await this.#redis.eval(
      'retry an outbox entry',
      RETRY_OUTBOX,
      [],
      [this.#prefix, id, ms(now)],
    )) as string[] | null;
    return hash ? outboxEntryFromHash<P>(hash) : undefined;
  }

  async recent(guideId: string, since: number): Promise<OutboxEntry<P>[]> {
    const ids = await this.#redis.run('read recent escalations', (client) =>
      client.zrangebyscore(`${this.#prefix}guide:${guideId}`, ms(Math.floor(since)), '+inf'),
    );
    return this.#read(ids);
  }

  async counts(): Promise<OutboxCounts> {
    const [all, pending, dead] = await this.#redis.run('count the outbox', (client) =>
      Promise.all([
        client.zcard(`${this.#prefix}all`),
        client.zcard(`${this.#prefix}due`),
        client.zcard(`${this.#prefix}dead`),
      ]),
    );
    return { pending, dead, delivered: Math.max(0, all - pending - dead) };
  }

  /** Closes the connection if this store opened it from a URL; a client passed in stays open. */
  async close(): Promise<void> {
    await this.#redis.close();
  }

  /** Reads entries by id, a few hundred per round trip, in the order given. */
  async #read(ids: string[]): Promise<OutboxEntry<P>[]> {
    const entries: OutboxEntry<P>[] = [];
    for (let i = 0; i < ids.length; i += 200) {
      const batch = ids.slice(i, i + 200);
      const hashes = await this.#redis.run('read outbox entries', async (client) => {
        const pipeline = client.pipeline();
        for (const id of batch) pipeline.hgetall(this.#entryKey(id));
        return ((await pipeline.exec()) ?? []).map(([err, hash]) => {
          if (err) throw err;
          return hash as Record<string, string>;
        });
      });
      for (const hash of hashes) {
        const entry = outboxEntryFromHash<P>(hash);
        if (entry) entries.push(entry);
      }
    }
    return entries;
  }

  #entryKey(id: string): string {
    return `${this.#prefix}e:${id}`;
  }
}

/** A time in ms as the integer string the scripts expect. */
function ms(time: number): string {
  return String(Math.round(time));
}
