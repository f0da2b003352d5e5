import type { NewOutboxEntry, OutboxEntry, OutboxStatus } from '../outbox-store.ts';

/** The parts of an entry that never change, stored once as JSON in the hash field `j`. */
type Fixed = Omit<NewOutboxEntry<unknown>, 'nextAttemptAt'>;

/** The argument `add_outbox` reads: [id, fixed JSON, next attempt, created at, guide id] per entry. */
export function encodeOutboxEntries(entries: readonly NewOutboxEntry<unknown>[]): string {
  return JSON.stringify(
    entries.map((entry) => {
      const { nextAttemptAt, ...fixed } = entry;
      return [
        entry.id,
        JSON.stringify(fixed satisfies Fixed),
        String(Math.round(nextAttemptAt)),
        String(Math.round(entry.createdAt)),
        entry.guideId,
      ];
    }),
  );
}

/** An entry from its hash, as HGETALL returns it (an object) or as Lua does (flat pairs). */
export function outboxEntryFromHash<P>(hash: Record<string, string> | string[]): OutboxEntry<P> | undefined {
  const fields = Array.isArray(hash) ? pairs(hash) : hash;
  if (fields.j === undefined || fields.s === undefined) return undefined;
  const fixed = JSON.parse(fields.j) as Fixed & { ticket: P };
  return {
    ...fixed,
    status: fields.s as OutboxStatus,
    attempts: Number(fields.a ?? 0),
    nextAttemptAt: Number(fields.n),
    ...(fields.r === undefined ? {} : { result: JSON.parse(fields.r) }),
    ...(fields.le === undefined ? {} : { lastError: fields.le }),
    ...(fields.lo === undefined ? {} : { leaseOwner: fields.lo }),
    ...(fields.lu === undefined ? {} : { leaseUntil: Number(fields.lu) }),
  };
}

function pairs(flat: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i] ?? ''] = flat[i + 1] ?? '';
  return record;
}
