import type { DeliveryResult } from '../stores/outbox-store.ts';

/**
 * What the deliverer reports after an entry reached its sink, so the surface the conversation lives
 * in can tell the person who asked ("Filed as PROJ-123: <link>"). The composition root passes a
 * callback taking this to the deliverer and routes it by `conversationKey` to Slack or Teams.
 */
export interface FiledNotice {
  conversationKey: string;
  conversationId: string;
  escalationNumber: number;
  sink: string;
  result: DeliveryResult;
  /** True when the escalation was added to an earlier open ticket instead of filing a new one. */
  linked: boolean;
  /** Plain text for the conversation, e.g. "Filed as PROJ-123: https://acme.atlassian.net/browse/PROJ-123". */
  text: string;
}

export type OnFiled = (notice: FiledNotice) => void | Promise<void>;

/** The sentence for the conversation: where the ticket is, or which open ticket it was added to. */
export function filedNoticeText(result: DeliveryResult, linked: boolean): string {
  const target = linked ? (result.linkedTo ?? result) : result;
  const name = target.label ?? target.externalId;
  const link = target.url ? `: ${target.url}` : '';
  if (linked) {
    return name
      ? `Added to ${name}, already open for this problem${link}`
      : `Added to the ticket already open for this problem${link}`;
  }
  return name ? `Filed as ${name}${link}` : `Ticket filed${link}`;
}
