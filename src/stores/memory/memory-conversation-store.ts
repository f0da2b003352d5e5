import { FixpathError } from '../../errors.ts';
import type { ConversationStore, FlowVersionStore, SaveOptions, Versioned } from '../conversation-store.ts';
import type { MemoryOutboxStore } from './memory-outbox-store.ts';

interface Entry<T> {
  value: T;
  version: number;
  expiresAt: number;
  userId: string | undefined;
}

/**
 * Conversations kept in this process's memory: for tests and the CLI only. Single-process: a second
 * process or a restart sees none of it. Use SQLite or Redis for anything that must survive.
 * Values are copied with `structuredClone` on the way in and out, so a caller mutating an object
 * after saving it changes nothing stored, as with the JSON-backed stores.
 */
export class MemoryConversationStore<T> implements ConversationStore<T>, FlowVersionStore {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #flowVersions = new Map<string, { flowId: string; source: string; file: string }>();
  readonly #now: () => number;
  readonly #userOf: (value: T) => string | undefined;
  readonly #outbox: MemoryOutboxStore | undefined;

  constructor(
    options: {
      now?: () => number;
      userOf?: (value: T) => string | undefined;
      /** Where `save` adds the outbox entries it is given, in the same step as the value. */
      outbox?: MemoryOutboxStore;
    } = {},
  ) {
    this.#now = options.now ?? Date.now;
    this.#userOf = options.userOf ?? (() => undefined);
    this.#outbox = options.outbox;
  }

  async load(key: string): Promise<Versioned<T> | undefined> {
    const entry = this.#live(key);
    return entry && { value: structuredClone(entry.value), version: entry.version };
  }

  async save(key: string, value: T, { expectedVersion, ttlMs, outbox = [] }: SaveOptions): Promise<number> {
    if (outbox.length > 0 && !this.#outbox) {
      throw new FixpathError('store_unavailable', 'this memory store has no outbox to add escalations to');
    }
    const current = this.#live(key)?.version ?? null;
    if (current !== expectedVersion) {
      throw new FixpathError(
        'store_conflict',
        `conversation ${key} is at version ${current ?? 'none'}, not ${expectedVersion ?? 'none'}`,
      );
    }
    this.#outbox?.insert(outbox);
    const version = (current ?? 0) + 1;
    this.#entries.set(key, {
      value: structuredClone(value),
      version,
      expiresAt: this.#now() + ttlMs,
      userId: this.#userOf(value),
    });
    return version;
  }

  async delete(key: string, expectedVersion?: number): Promise<void> {
    const entry = this.#live(key);
    if (!entry) return;
    if (expectedVersion !== undefined && entry.version !== expectedVersion) {
      throw new FixpathError(
        'store_conflict',
        `conversation ${key} is at version ${entry.version}, not ${expectedVersion}`,
      );
    }
    this.#entries.delete(key);
  }

  async listByUser(userId: string): Promise<string[]> {
    return [...this.#entries.keys()].filter((key) => this.#live(key)?.userId === userId);
  }

  async saveFlowVersion(
    hash: string,
    version: { flowId: string; source: string; file: string },
  ): Promise<void> {
    if (!this.#flowVersions.has(hash)) this.#flowVersions.set(hash, { ...version });
  }

  async loadFlowVersion(hash: string) {
    const version = this.#flowVersions.get(hash);
    return version && { ...version };
  }

  #live(key: string): Entry<T> | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }
}
