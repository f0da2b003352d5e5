import type { Actor } from '../machine/flow-context.ts';

/** What a user did, as every adapter normalises it: no platform payloads past this point. */
export type ConversationEvent =
  | { type: 'start'; flowId: string }
  | { type: 'choose'; choice: string }
  | { type: 'submit'; values: Record<string, string | number | boolean> }
  | { type: 'back' }
  | { type: 'restart' }
  | { type: 'escalate' }
  | { type: 'faq'; faq: string }
  | { type: 'feedback'; helpful: boolean }
  /** Draw the current step again, changing nothing. */
  | { type: 'show' };

export interface TurnInput {
  /** The platform's conversation key, e.g. a Slack thread or a Teams reply chain. */
  key: string;
  event: ConversationEvent;
  actor: Actor;
  /** The revision of the card the user clicked; a click on an older card changes nothing. */
  revision?: number;
  /** The conversation the card was drawn for; a card of an earlier conversation in the same place is stale too. */
  conversationId?: string;
  /** The guide the card belonged to, so an expired conversation can offer to start it again. */
  flowId?: string;
}
