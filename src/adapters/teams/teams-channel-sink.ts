import { DeliveryError } from '../../escalation/delivery-error.ts';
import type { TicketOutboxEntry } from '../../escalation/outbox.ts';
import type { EscalationSink } from '../../escalation/sink.ts';
import type { DeliveryResult } from '../../stores/outbox-store.ts';
import type { AdaptiveCard } from './render-step-card.ts';
import { renderTicketCard } from './render-ticket-card.ts';
import { teamsDeliveryError } from './teams-delivery-error.ts';

/** One message for the support channel: the ticket card, its text, and the card it replies to, if any. */
export interface TeamsChannelPost {
  card: AdaptiveCard;
  text: string;
  /** The activity id of the ticket card to reply under (a repeat of that ticket). */
  replyTo?: string;
}

/**
 * Sends one message to the support channel, proactively, and says where it went: the new activity's
 * id and, when known, a link to it. `TeamsBot.postToChannel(channelId)` makes one on the Teams adapter
 * (the channel's stored reference and `continueConversation`). It rejects with the connector's error,
 * whose `statusCode` tells a throttle or an outage (429, 5xx: tried again) from a refusal.
 */
export type PostToTeamsChannel = (post: TeamsChannelPost) => Promise<{ id?: string; url?: string }>;

export interface TeamsChannelSinkOptions {
  post: PostToTeamsChannel;
  name?: string;
}

/**
 * Posts tickets to a Teams channel as Adaptive Cards (`renderTicketCard`); repeats of an open ticket
 * are replies under its card. The connector has no idempotency key and a channel cannot be searched
 * without Microsoft Graph, so a crash between the post and recording it can post the card twice;
 * prefer GitHub, Jira or a webhook as the ticket of record.
 */
export class TeamsChannelSink implements EscalationSink {
  readonly name: string;
  /** The connector allows a bot about 7 messages a second per conversation; stay far below. */
  readonly writeLimits = { perMinute: 30, minIntervalMs: 1_000 };
  readonly #post: PostToTeamsChannel;

  constructor(options: TeamsChannelSinkOptions) {
    this.name = options.name ?? 'teams-channel';
    this.#post = options.post;
  }

  async deliver(entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const { ticket } = entry;
    const posted = await this.#send({
      card: renderTicketCard(ticket),
      text: `Ticket for ${ticket.team}: ${ticket.title}`,
    });
    return resultOf(posted);
  }

  async comment(target: DeliveryResult, entry: TicketOutboxEntry): Promise<DeliveryResult> {
    if (!target.externalId)
      throw new DeliveryError('sink_refused', `${this.name}: the card to reply to has no id`);
    const { ticket } = entry;
    const posted = await this.#send({
      card: renderTicketCard(ticket),
      text: `Reported again: ${ticket.title}`,
      replyTo: target.externalId,
    });
    return { ...resultOf(posted), ...(target.url && !posted.url ? { url: target.url } : {}) };
  }

  async #send(post: TeamsChannelPost): Promise<{ id?: string; url?: string }> {
    try {
      return await this.#post(post);
    } catch (err) {
      throw teamsDeliveryError(err, this.name);
    }
  }
}

function resultOf(posted: { id?: string; url?: string }): DeliveryResult {
  return {
    ...(posted.id ? { externalId: posted.id } : {}),
    ...(posted.url ? { url: posted.url } : {}),
    label: 'a card in the support channel',
    details: posted.id ? { activityId: posted.id } : {},
  };
}
