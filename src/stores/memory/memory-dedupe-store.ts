import type { DedupeStore } from '../dedupe-store.ts';

/**
 * Claims kept in this process's memory: for tests and the CLI only. A second replica or a restart
 * sees none of them, so a retry that lands elsewhere would run twice; use SQLite or Redis there.
 */
export class MemoryDedupeStore implements DedupeStore {
  readonly #expiresAt = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    const now = this.#now();
    for (const [claimed, expiresAt] of this.#expiresAt) {
      if (expiresAt <= now) this.#expiresAt.delete(claimed);
    }
    if (this.#expiresAt.has(key)) return false;
    this.#expiresAt.set(key, now + ttlMs);
    return true;
  }
}
