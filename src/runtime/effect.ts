import type { Ticket } from '../escalation/ticket.ts';

/** What happened in a turn that an adapter may act on beyond drawing the view. */
export type Effect =
  | { type: 'conversation_started'; conversationId: string; flowId: string }
  | { type: 'resolved'; conversationId: string }
  | { type: 'escalated'; conversationId: string; ticket: Ticket }
  | { type: 'feedback_given'; conversationId: string; helpful: boolean }
  | { type: 'conversation_expired'; conversationId: string };
