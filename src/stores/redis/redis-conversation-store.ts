import { FixpathError } from '../../errors.ts';
import type { ConversationStore, FlowVersionStore, SaveOptions, Versioned } from '../conversation-store.ts';
import {
  DELETE_CONVERSATION,
  LIST_CONVERSATIONS_BY_USER,
  SAVE_CONVERSATION,
} from './conversation-scripts.ts';
import { RedisConnection, type RedisConnectionOptions, type RedisSource } from './redis-connection.ts';
import { encodeOutboxEntries } from './redis-outbox-fields.ts';

export type RedisConversationStoreOptions<T> = RedisSource &
  RedisConnectionOptions & {
    /** Prefix of every key this store writes (default `fixpath:`), so several deployments can share a server. */
    keyPrefix?: string;
    /** The user a value belongs to, kept in a per-user index for `listByUser`. */
    userOf?: (value: T) => string | undefined;
  };

type FlowVersion = { flowId: string; source: string; file: string };

/**
 * Conversations in Redis, for several replicas behind one bot. Every write is one Lua script, so
 * the version check, the value, its TTL, the user index and any outbox entries given with the save
 * (read back through `RedisOutboxStore` on the same prefix) change together or not at all; expiry is
 * Redis's own (server clock). Scripts touch keys they compute, so this needs a standalone or
 * Sentinel server, not Redis Cluster.
 */
export class RedisConversationStore<T> implements ConversationStore<T>, FlowVersionStore {
  readonly #redis: RedisConnection;
  readonly #prefix: string;
  readonly #userOf: (value: T) => string | undefined;

  constructor(options: RedisConversationStoreOptions<T>) {
    this.#redis = new RedisConnection(options);
    this.#prefix = options.keyPrefix ?? 'fixpath:';
    this.#userOf = options.userOf ?? (() => undefined);
  }

  async load(key: string): Promise<Versioned<T> | undefined> {
    const [version, json] = await this.#redis.run('load a conversation', (client) =>
      client.hmget(this.#conversationKey(key), 'v', 'd'),
    );
    if (version == null || json == null) return undefined;
    return { value: JSON.parse(json) as T, version: Number(version) };
  }

  async save(key: string, value: T, { expectedVersion, ttlMs, outbox = [] }: SaveOptions): Promise<number> {
    const json = JSON.stringify(value);
    const entries = outbox.length > 0 ? [`${this.#prefix}outbox:`, encodeOutboxEntries(outbox)] : [];
    const [saved, version] = (await this.#redis.eval(
      'save a conversation',
      SAVE_CONVERSATION,
      [this.#conversationKey(key)],
      [
        expectedVersion === null ? '' : String(expectedVersion),
        json,
        Math.max(1, Math.ceil(ttlMs)),
        this.#userOf(value) ?? '',
        `${this.#prefix}user:`,
        key,
        ...entries,
      ],
    )) as [number, number];
    if (saved !== 1) throw conflict(key, version || null, expectedVersion);
    return version;
  }

  async delete(key: string, expectedVersion?: number): Promise<void> {
    const [deleted, version] = (await this.#redis.eval(
      'delete a conversation',
      DELETE_CONVERSATION,
      [this.#conversationKey(key)],
      [expectedVersion === undefined ? '' : String(expectedVersion), `${this.#prefix}user:`, key],
    )) as [number, number];
    if (deleted !== 1) throw conflict(key, version, expectedVersion ?? null);
  }

  async listByUser(userId: string): Promise<string[]> {
    const keys = (await this.#redis.eval(
      'list conversations',
      LIST_CONVERSATIONS_BY_USER,
      [`${this.#prefix}user:${userId}`],
      [`${this.#prefix}conversation:`, userId],
    )) as string[];
    return keys.sort();
  }

  async saveFlowVersion(hash: string, version: FlowVersion): Promise<void> {
    const json = JSON.stringify({ flowId: version.flowId, source: version.source, file: version.file });
    await this.#redis.run('save a guide version', (client) => client.set(this.#flowKey(hash), json, 'NX'));
  }

  async loadFlowVersion(hash: string): Promise<FlowVersion | undefined> {
    const json = await this.#redis.run('load a guide version', (client) => client.get(this.#flowKey(hash)));
    return json == null ? undefined : (JSON.parse(json) as FlowVersion);
  }

  /** Closes the connection if this store opened it from a URL; a client passed in stays open. */
  async close(): Promise<void> {
    await this.#redis.close();
  }

  #conversationKey(key: string): string {
    return `${this.#prefix}conversation:${key}`;
  }

  #flowKey(hash: string): string {
    return `${this.#prefix}flow:${hash}`;
  }
}

function conflict(key: string, current: number | null, expected: number | null): FixpathError {
  return new FixpathError(
    'store_conflict',
    `conversation ${key} is at version ${current ?? 'none'}, not ${expected ?? 'none'}`,
  );
}
