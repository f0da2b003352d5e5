import type { NewOutboxEntry, OutboxEntry } from '../stores/outbox-store.ts';
import type { Ticket } from './ticket.ts';

/** An outbox entry carrying an escalation ticket, as the engine writes it and the deliverer sends it. */
export type TicketOutboxEntry = OutboxEntry<Ticket>;
export type NewTicketOutboxEntry = NewOutboxEntry<Ticket>;

/**
 * What every sink sends as its idempotency key: the same for each attempt at one escalation, and for
 * each sink it goes to, so a receiver (or a search for the GitHub marker) can tell a retry from a
 * new ticket.
 */
export function idempotencyKey(escalation: { conversationId: string; escalationNumber: number }): string {
  return `${escalation.conversationId}:${escalation.escalationNumber}`;
}

/**
 * The sink name of the entry that tells the conversation where its ticket went ("Filed as PROJ-123").
 * It rides the outbox like a ticket, so the person who asked hears of it through restarts and outages
 * too, but it is not a ticket: duplicate detection and ticket counts leave it out.
 */
export const NOTICE_SINK = 'notice';

/** One entry per escalation and sink. */
export function outboxEntryId(
  escalation: { conversationId: string; escalationNumber: number },
  sink: string,
): string {
  return `${idempotencyKey(escalation)}:${sink}`;
}
