import type { DuplicateMatch } from './find-duplicate.ts';
import { type NewTicketOutboxEntry, NOTICE_SINK, outboxEntryId } from './outbox.ts';
import type { Ticket } from './ticket.ts';

export interface OutboxPlan {
  conversationKey: string;
  ticket: Ticket;
  /** The sinks configured for the ticket's guide. */
  sinks: readonly string[];
  /** The open escalation this one repeats: each sink that has its ticket adds to it instead. */
  duplicate?: DuplicateMatch | undefined;
  /** Add the entry that tells the conversation where the ticket went (Slack and Teams conversations). */
  notice?: boolean;
  now: number;
}

/**
 * One outbox entry per sink for a newly filed escalation, due at once, and the notice entry last when
 * the conversation is to be told. Pure.
 */
export function planOutboxEntries(plan: OutboxPlan): NewTicketOutboxEntry[] {
  const { ticket, now } = plan;
  const sinks = [...new Set(plan.sinks)].filter((sink) => sink !== NOTICE_SINK);
  if (plan.notice && sinks.length > 0) sinks.push(NOTICE_SINK);
  return sinks.map((sink) => {
    const linkTo = sink === NOTICE_SINK ? undefined : plan.duplicate?.entries[sink];
    return {
      id: outboxEntryId(ticket, sink),
      conversationKey: plan.conversationKey,
      conversationId: ticket.conversationId,
      escalationNumber: ticket.escalationNumber,
      sink,
      guideId: ticket.guide.id,
      reporterId: ticket.reporter.id,
      ticket,
      ...(linkTo === undefined ? {} : { linkTo }),
      createdAt: now,
      nextAttemptAt: now,
    };
  });
}
