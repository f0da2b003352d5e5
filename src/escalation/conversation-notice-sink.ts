import type { DeliveryResult, OutboxStore } from '../stores/outbox-store.ts';
import { escalationNoticeText } from './filed-notice.ts';
import { idempotencyKey, NOTICE_SINK, type TicketOutboxEntry } from './outbox.ts';
import type { EscalationSink } from './sink.ts';
import type { Ticket } from './ticket.ts';

/**
 * Posts plain text into the conversation an escalation came from (its Slack thread, its Teams chat).
 * It should reject when the platform does not take the message, so the outbox tries again.
 */
export type SendToConversation = (conversationKey: string, text: string) => Promise<void>;

export interface ConversationNoticeSinkOptions {
  outbox: Pick<OutboxStore<Ticket>, 'recent'>;
  send: SendToConversation;
  /** Sinks whose tickets stay on this machine (Markdown files): named only when nothing else filed. */
  localSinks?: readonly string[];
  /** How long to wait before looking again while a ticket is still on its way (default 5 s). */
  waitMs?: number;
  now?: () => number;
}

/**
 * The outbox's last entry for an escalation in Slack or Teams: once each of its tickets has been
 * sent (or dead-lettered), it tells the conversation where they went ("Filed as PROJ-123: <link>").
 * Because it is an outbox entry, a restart or an outage of the chat platform delays the message
 * but does not lose it. The chat platforms have no idempotency key, so a crash between the post and
 * recording it can repeat the message; that is the one case it may be said twice.
 */
export class ConversationNoticeSink implements EscalationSink {
  readonly name = NOTICE_SINK;
  readonly #options: ConversationNoticeSinkOptions;
  readonly #local: ReadonlySet<string>;

  constructor(options: ConversationNoticeSinkOptions) {
    this.#options = options;
    this.#local = new Set(options.localSinks ?? []);
  }

  async readyAt(entry: TicketOutboxEntry): Promise<number | undefined> {
    const tickets = await this.#tickets(entry);
    if (!tickets.some((t) => t.status === 'pending')) return undefined;
    return (this.#options.now ?? Date.now)() + (this.#options.waitMs ?? 5_000);
  }

  async deliver(entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const text = escalationNoticeText(await this.#tickets(entry), this.#local);
    await this.#options.send(entry.conversationKey, text);
    return { label: 'a message in the conversation', details: { text } };
  }

  /** The ticket entries written with this notice, in the same save. */
  async #tickets(entry: TicketOutboxEntry) {
    const key = idempotencyKey(entry);
    const recent = await this.#options.outbox.recent(entry.guideId, entry.createdAt);
    return recent.filter((e) => e.sink !== NOTICE_SINK && idempotencyKey(e) === key);
  }
}
