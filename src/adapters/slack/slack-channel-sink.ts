import type { webApi } from '@slack/bolt';

type WebClient = webApi.WebClient;

import { DeliveryError } from '../../escalation/delivery-error.ts';
import { idempotencyKey, type TicketOutboxEntry } from '../../escalation/outbox.ts';
import type { EscalationSink } from '../../escalation/sink.ts';
import type { DeliveryResult } from '../../stores/outbox-store.ts';
import { createOutboxWebClient } from './outbox-web-client.ts';
import { renderTicketMessage } from './render-ticket-message.ts';
import { parseSlackConversationKey } from './slack-conversation-key.ts';
import { slackDeliveryError as toDeliveryError } from './slack-delivery-error.ts';

export interface SlackChannelSinkOptions {
  /**
   * A Web API client for the bot. Create it with `rejectRateLimitedCalls: true` and no retries, so a
   * 429 comes back to the deliverer, which waits out Retry-After without holding up the other sinks.
   */
  client: WebClient;
  /** The support channel's id. */
  channel: string;
  /**
   * A link back to the conversation the ticket came from. By default, for a Slack conversation, the
   * permalink of its thread (`chat.getPermalink`); none for a conversation on another surface.
   */
  threadLinkFor?: (conversationKey: string) => string | undefined | Promise<string | undefined>;
  name?: string;
}

/** The metadata event each ticket message carries, naming its escalation, so a retry can find it. */
const EVENT_TYPE = 'fixpath_escalation';
/**
 * Posts tickets to a Slack support channel as Block Kit (`renderTicketMessage`), with a link to the
 * conversation's thread. Each message carries metadata naming its escalation, and before any
 * attempt after the first the sink reads the channel's history since the entry was created for a
 * message that has it (needs `channels:history`, or `groups:history` for a private channel), so a
 * crash after posting does not post twice. Repeats are posted as replies in the ticket's thread.
 */
export class SlackChannelSink implements EscalationSink {
  readonly name: string;
  readonly #options: SlackChannelSinkOptions;

  constructor(options: SlackChannelSinkOptions) {
    this.name = options.name ?? 'slack-channel';
    this.#options = options;
  }

  async deliver(entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const { client, channel } = this.#options;
    const threadLink = await this.#threadLink(entry.conversationKey);
    const message = renderTicketMessage(entry.ticket, threadLink ? { threadLink } : {});
    const posted = await this.#call('chat.postMessage', () =>
      client.chat.postMessage({
        channel,
        ...message,
        unfurl_links: false,
        metadata: { event_type: EVENT_TYPE, event_payload: { key: idempotencyKey(entry) } },
      }),
    );
    return this.#result(posted.channel ?? channel, posted.ts);
  }

  async comment(target: DeliveryResult, entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const { client } = this.#options;
    const { channel, ts } = placeOf(target, this.#options.channel, this.name);
    const message = renderTicketMessage(entry.ticket);
    const posted = await this.#call('chat.postMessage', () =>
      client.chat.postMessage({
        channel,
        thread_ts: ts,
        text: `Reported again: ${message.text}`,
        blocks: message.blocks,
        unfurl_links: false,
        metadata: { event_type: EVENT_TYPE, event_payload: { key: idempotencyKey(entry) } },
      }),
    );
    return { ...(await this.#result(channel, posted.ts)), ...(target.url ? { url: target.url } : {}) };
  }

  async findExisting(entry: TicketOutboxEntry, target?: DeliveryResult): Promise<DeliveryResult | undefined> {
    const { client } = this.#options;
    const key = idempotencyKey(entry);
    const oldest = String(Math.floor(entry.createdAt / 1000) - 300);
    const place = target ? placeOf(target, this.#options.channel, this.name) : undefined;
    const channel = place?.channel ?? this.#options.channel;
    let cursor: string | undefined;
    for (let page = 0; page < 3; page++) {
      const read = await this.#call('conversations.history', () =>
        place
          ? client.conversations.replies({
              channel,
              ts: place.ts,
              oldest,
              include_all_metadata: true,
              limit: 200,
              ...(cursor ? { cursor } : {}),
            })
          : client.conversations.history({
              channel,
              oldest,
              include_all_metadata: true,
              limit: 200,
              ...(cursor ? { cursor } : {}),
            }),
      );
      const found = (read.messages ?? []).find(
        (m) =>
          m.metadata?.event_type === EVENT_TYPE &&
          (m.metadata.event_payload as { key?: unknown } | undefined)?.key === key,
      );
      if (found?.ts) return this.#result(channel, found.ts);
      cursor = read.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  async #threadLink(conversationKey: string): Promise<string | undefined> {
    if (this.#options.threadLinkFor) return this.#options.threadLinkFor(conversationKey);
    const thread = parseSlackConversationKey(conversationKey);
    if (!thread) return undefined;
    // A link is a nicety: the ticket goes out without one when Slack cannot say.
    return this.#options.client.chat
      .getPermalink({ channel: thread.channel, message_ts: thread.threadTs })
      .then((answer) => answer.permalink)
      .catch(() => undefined);
  }

  async #result(channel: string, ts: string | undefined): Promise<DeliveryResult> {
    if (!ts) throw new DeliveryError('sink_unavailable', `${this.name}: Slack answered without a message ts`);
    // The permalink is a nicety: a ticket posted is delivered even when the link cannot be had.
    const link = await this.#options.client.chat
      .getPermalink({ channel, message_ts: ts })
      .then((answer) => answer.permalink)
      .catch(() => undefined);
    return {
      externalId: ts,
      ...(link ? { url: link } : {}),
      label: 'a message in the support channel',
      details: { channel, ts },
    };
  }

  async #call<T>(method: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      throw toDeliveryError(err, `${this.name}: ${method}`);
    }
  }
}

/** The sink with a Web API client of its own, set up as the deliverer needs it (`createOutboxWebClient`). */
export function createSlackChannelSink(options: {
  botToken: string;
  /** The Web API base URL; Slack's own when unset. */
  apiUrl?: string | undefined;
  channel: string;
  name?: string;
}): SlackChannelSink {
  const client = createOutboxWebClient(options);
  return new SlackChannelSink({
    client,
    channel: options.channel,
    ...(options.name ? { name: options.name } : {}),
  });
}

function placeOf(target: DeliveryResult, fallback: string, sink: string): { channel: string; ts: string } {
  const ts = target.details?.ts ?? target.externalId;
  const channel = target.details?.channel ?? fallback;
  if (typeof ts !== 'string' || typeof channel !== 'string') {
    throw new DeliveryError('sink_refused', `${sink}: the ticket to add to has no message ts`);
  }
  return { channel, ts };
}
