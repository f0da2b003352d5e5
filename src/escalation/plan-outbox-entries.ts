import type { DuplicateMatch } from './find-duplicate.ts';
import { type NewTicketOutboxEntry, outboxEntryId } from './outbox.ts';
import type { Ticket } from './ticket.ts';

export interface OutboxPlan {
  conversationKey: string;
  ticket: Ticket;
  /** The sinks configured for the ticket's guide. */
  sinks: readonly string[];
  /** The open escalation this one repeats: each sink that has its ticket adds to it instead. */
  duplicate?: DuplicateMatch | undefined;
  now: number;
}

/** One outbox entry per sink for a newly filed escalation, due at once. Pure. */
export function planOutboxEntries(plan: OutboxPlan): NewTicketOutboxEntry[] {
  const { ticket, now } = plan;
  return [...new Set(plan.sinks)].map((sink) => {
    const linkTo = plan.duplicate?.entries[sink];
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
