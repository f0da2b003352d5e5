import type { Database, Statement } from 'better-sqlite3';
import type { NewOutboxEntry, OutboxEntry, OutboxStatus } from '../outbox-store.ts';

/** A row of the `outbox` table as the driver returns it. */
export interface OutboxRow {
  id: string;
  conversation_key: string;
  conversation_id: string;
  escalation_number: number;
  sink: string;
  guide_id: string;
  reporter_id: string;
  ticket: string;
  link_to: string | null;
  created_at: number;
  status: OutboxStatus;
  attempts: number;
  next_attempt_at: number;
  lease_owner: string | null;
  lease_until: number | null;
  result: string | null;
  last_error: string | null;
}

/**
 * The insert both the conversation store (inside its save transaction) and the outbox store use.
 * An id already present is left alone, so adding the same entries twice changes nothing.
 */
export function prepareOutboxInsert(db: Database): (entry: NewOutboxEntry<unknown>) => void {
  const insert: Statement = db.prepare(
    `INSERT INTO outbox (id, conversation_key, conversation_id, escalation_number, sink, guide_id,
       reporter_id, ticket, link_to, created_at, status, attempts, next_attempt_at)
     VALUES (@id, @conversationKey, @conversationId, @escalationNumber, @sink, @guideId,
       @reporterId, @ticket, @linkTo, @createdAt, 'pending', 0, @nextAttemptAt)
     ON CONFLICT (id) DO NOTHING`,
  );
  return (entry) => {
    insert.run({
      id: entry.id,
      conversationKey: entry.conversationKey,
      conversationId: entry.conversationId,
      escalationNumber: entry.escalationNumber,
      sink: entry.sink,
      guideId: entry.guideId,
      reporterId: entry.reporterId,
      ticket: JSON.stringify(entry.ticket),
      linkTo: entry.linkTo ?? null,
      createdAt: Math.round(entry.createdAt),
      nextAttemptAt: Math.round(entry.nextAttemptAt),
    });
  };
}

export function outboxEntryOf<P>(row: OutboxRow): OutboxEntry<P> {
  return {
    id: row.id,
    conversationKey: row.conversation_key,
    conversationId: row.conversation_id,
    escalationNumber: row.escalation_number,
    sink: row.sink,
    guideId: row.guide_id,
    reporterId: row.reporter_id,
    ticket: JSON.parse(row.ticket) as P,
    ...(row.link_to === null ? {} : { linkTo: row.link_to }),
    createdAt: row.created_at,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    ...(row.result === null ? {} : { result: JSON.parse(row.result) }),
    ...(row.last_error === null ? {} : { lastError: row.last_error }),
    ...(row.lease_owner === null ? {} : { leaseOwner: row.lease_owner }),
    ...(row.lease_until === null ? {} : { leaseUntil: row.lease_until }),
  };
}
