import type { AdaptiveCard } from './render-step-card.ts';

/** Something to write into the conversation after the activity was answered. */
export type TeamsReply =
  /** A new card; `stepCard` marks the running guide's card, whose id is remembered for in-place updates. */
  | { kind: 'post-card'; card: AdaptiveCard; stepCard: boolean }
  /** A card replaced in place (`updateActivity`); posted anew if that message is gone. */
  | { kind: 'update-card'; activityId: string; card: AdaptiveCard }
  | { kind: 'text'; text: string };

/** The body of an `adaptiveCard/action` invoke response (Universal Actions). */
export interface TeamsInvokeAnswer {
  statusCode: number;
  type: string;
  value: unknown;
}

/** What one activity comes to: the invoke's answer, the replies to send after it, the card to remember. */
export interface TeamsPlan {
  invoke?: TeamsInvokeAnswer;
  replies: TeamsReply[];
  /** The activity id that now shows the running guide's card, when this activity made it so. */
  stepCardId?: string;
}

const CARD = 'application/vnd.microsoft.card.adaptive';
const MESSAGE = 'application/vnd.microsoft.activity.message';
const ERROR = 'application/vnd.microsoft.error';

/** The invoke answer that swaps the clicked card for `card` (Universal Actions). */
export function cardAnswer(card: AdaptiveCard): TeamsInvokeAnswer {
  return { statusCode: 200, type: CARD, value: card };
}

/** The invoke answer that leaves the card as it is and shows the clicker a short message. */
export function messageAnswer(text: string): TeamsInvokeAnswer {
  return { statusCode: 200, type: MESSAGE, value: text };
}

export function errorAnswer(statusCode: number, code: string, message: string): TeamsInvokeAnswer {
  return { statusCode, type: ERROR, value: { code, message } };
}
