import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { FixpathError } from '../../errors.ts';

/** An ioredis client to share (left open by `close()`), or a URL to connect to (closed by `close()`). */
export type RedisSource = { client: Redis; url?: never } | { url: string; client?: never };

export interface RedisConnectionOptions {
  /**
   * How long a command waits for a connection that is still being made before failing with
   * `store_unavailable` (default 1 s). A connection attempt that fails ends the wait at once.
   */
  readyTimeoutMs?: number;
}

/**
 * Client settings that make a dead Redis fail a turn within a couple of seconds instead of hanging
 * it: nothing is queued while disconnected and nothing in flight is resent after a reconnect (so a
 * write the caller was told failed is never replayed later), a reply that takes over 2 s fails, and
 * reconnection keeps trying, at most a second apart. Pass the same settings when handing the stores
 * a client of your own (`createRedisClient` does).
 */
const FAIL_FAST: RedisOptions = {
  enableOfflineQueue: false,
  autoResendUnfulfilledCommands: false,
  maxRetriesPerRequest: 1,
  commandTimeout: 2_000,
  connectTimeout: 2_000,
  retryStrategy: (attempt) => Math.min(attempt * 100, 1_000),
};

/** A Redis client with the fail-fast settings above. */
export function createRedisClient(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, { ...FAIL_FAST, ...options });
}

/** A Lua script sent by its SHA1, and in full only when the server has not cached it yet. */
export interface RedisScript {
  lua: string;
  sha: string;
}

export function redisScript(lua: string): RedisScript {
  return { lua, sha: createHash('sha1').update(lua).digest('hex') };
}

/**
 * One client as the stores use it: waits briefly for the connection to be ready, runs a command,
 * and turns every Redis failure into `store_unavailable` with the original error as its cause.
 */
export class RedisConnection {
  readonly client: Redis;
  readonly #owned: boolean;
  readonly #readyTimeoutMs: number;
  #lastError: unknown;
  /** One wait shared by every command issued while the connection is being made. */
  #pending: Promise<void> | undefined;

  constructor(source: RedisSource & RedisConnectionOptions) {
    this.#readyTimeoutMs = source.readyTimeoutMs ?? 1_000;
    if (source.client) {
      this.client = source.client;
      this.#owned = false;
    } else {
      this.client = createRedisClient(source.url);
      this.#owned = true;
      // Our own client reports failures through the commands that fail; keep the last one as a cause.
      this.client.on('error', (err: unknown) => {
        this.#lastError = err;
      });
    }
  }

  async run<T>(what: string, command: (client: Redis) => Promise<T>): Promise<T> {
    await this.#ready();
    try {
      return await command(this.client);
    } catch (err) {
      throw unavailable(`Redis failed to ${what}`, err);
    }
  }

  async eval(
    what: string,
    script: RedisScript,
    keys: string[],
    args: Array<string | number>,
  ): Promise<unknown> {
    return this.run(what, async (client) => {
      try {
        return await client.evalsha(script.sha, keys.length, ...keys, ...args);
      } catch (err) {
        // NOSCRIPT is the protocol's error code for "send the body": the server restarted or flushed its cache.
        if (!(err instanceof Error && err.message.startsWith('NOSCRIPT'))) throw err;
        return await client.eval(script.lua, keys.length, ...keys, ...args);
      }
    });
  }

  /** Closes the client if this connection opened it; a shared client is left to its owner. */
  async close(): Promise<void> {
    if (!this.#owned || this.client.status === 'end') return;
    if (this.client.status !== 'ready') {
      this.client.disconnect();
      return;
    }
    try {
      await this.client.quit();
    } catch {
      this.client.disconnect();
    }
  }

  #ready(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    this.#pending ??= this.#waitForReady().finally(() => {
      this.#pending = undefined;
    });
    return this.#pending;
  }

  #waitForReady(): Promise<void> {
    const client = this.client;
    const where = `Redis at ${client.options.host ?? '?'}:${client.options.port ?? '?'}`;
    if (client.status === 'end') {
      return Promise.reject(unavailable(`the connection to ${where} is closed`, this.#lastError));
    }
    if (client.status === 'wait') client.connect().catch(() => {});
    return new Promise<void>((resolve, reject) => {
      let cause = this.#lastError;
      const finish = (error?: FixpathError) => {
        clearTimeout(timer);
        client.off('ready', onReady);
        client.off('error', onError);
        client.off('close', onClose);
        client.off('end', onClose);
        if (error) reject(error);
        else resolve();
      };
      const onReady = () => finish();
      const onError = (err: unknown) => {
        cause = err;
      };
      const onClose = () => finish(unavailable(`${where} is unreachable`, cause));
      const timer = setTimeout(
        () => finish(unavailable(`${where} was not ready within ${this.#readyTimeoutMs} ms`, cause)),
        this.#readyTimeoutMs,
      );
      client.on('ready', onReady);
      client.on('error', onError);
      client.on('close', onClose);
      client.on('end', onClose);
    });
  }
}

function unavailable(message: string, cause: unknown): FixpathError {
  if (cause instanceof FixpathError) return cause;
  const detail = cause instanceof Error && cause.message ? `: ${cause.message}` : '';
  return new FixpathError('store_unavailable', `${message}${detail}`, { cause });
}
