import { CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import { FixpathError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ConversationStore } from '../../stores/conversation-store.ts';
import type { KeyedQueue } from './keyed-queue.ts';
import { refreshTeamsChannel } from './remember-teams-channel.ts';
import type { AdaptiveCard } from './render-step-card.ts';
import type { TeamsChannelPost } from './teams-channel-sink.ts';
import { teamsMessageLink } from './teams-message-link.ts';
import {
  channelKey,
  loadReference,
  type StoredTeamsReference,
  type TeamsChannelFacts,
  updateReference,
} from './teams-reference-store.ts';
import type { TeamsReply } from './teams-reply.ts';
import { connectorStatus, toTeamsError } from './to-teams-error.ts';

export interface TeamsDeliveryOptions {
  adapter: CloudAdapter;
  /** The bot's app id ('' without authentication), for the proactive turn's identity. */
  appId: string;
  references: ConversationStore<StoredTeamsReference>;
  queue: KeyedQueue;
  logger: Logger;
}

/**
 * Writes into Teams conversations after the activity was answered, and whenever fixpath has news
 * (`notify`). Each batch runs as a proactive turn on the stored conversation reference, queued per
 * conversation so cards keep their order; the connector transport under it paces and retries.
 */
export class TeamsDelivery {
  readonly #options: TeamsDeliveryOptions;

  constructor(options: TeamsDeliveryOptions) {
    this.#options = options;
  }

  /** Queues replies for one conversation; failures are logged, the request was answered long ago. */
  enqueue(conversationKey: string, reference: Partial<ConversationReference>, replies: TeamsReply[]): void {
    const log = this.#options.logger.child({ platform: 'teams', conversationKey });
    // Each failed reply is logged as it fails; what is caught here failed before any was tried.
    this.#options.queue
      .run(conversationKey, () => this.#send(conversationKey, reference, replies, log))
      .catch((err: unknown) => log.error({ err }, 'cannot write to the Teams conversation'));
  }

  /** Sends `text` to a conversation fixpath has seen, e.g. "Filed as PROJ-123". Rejects when it cannot. */
  async notify(conversationKey: string, text: string): Promise<void> {
    const stored = await loadReference(this.#options.references, conversationKey);
    if (!stored) {
      // Nothing can be sent there, now or later: like a 404 from the connector, it will not pass.
      throw Object.assign(
        new FixpathError('internal', `no Teams conversation is known by the key ${conversationKey}`),
        { statusCode: 404 },
      );
    }
    const log = this.#options.logger.child({ platform: 'teams', conversationKey });
    const failures = await this.#options.queue.run(conversationKey, () =>
      this.#send(conversationKey, stored.reference, [{ kind: 'text', text }], log),
    );
    if (failures.length > 0) throw failures[0];
  }

  /**
   * Posts a card to a Teams channel fixpath has seen (`channelId` without `;messageid=`): a new post,
   * or with `replyTo` a reply in that post's chain. Queued with the channel's other posts and paced and
   * retried by the transport like every send; rejects with the connector's error (its `statusCode`
   * kept) once that gives up, or with an error without a status when no activity from the channel was
   * seen yet.
   * Resolves with the new activity's id and, when the team's group is known, a link to the message.
   */
  async postToChannel(channelId: string, post: TeamsChannelPost): Promise<{ id?: string; url?: string }> {
    const { references } = this.#options;
    const key = channelKey(channelId);
    const stored = await loadReference(references, key);
    if (!stored) {
      throw new FixpathError(
        'config_invalid',
        `fixpath has not seen the Teams channel ${channelId} yet: add fixpath to that channel's team and ` +
          '@mention it once in the channel, and the ticket is posted on the next try',
      );
    }
    const log = this.#options.logger.child({ platform: 'teams', channelId });
    const team = await this.#teamOf(channelId, stored, log);
    const conversationId = post.replyTo ? `${channelId};messageid=${post.replyTo}` : channelId;
    const reference: Partial<ConversationReference> = {
      ...stored.reference,
      conversation: { ...(stored.reference.conversation ?? channelOnly(channelId)), id: conversationId },
    };
    const id = await this.#options.queue.run(key, () => this.#postOnce(reference, post));
    // The post is made: a failure from here on must not reject, or the ticket would be posted again.
    await refreshTeamsChannel(references, channelId, stored, Date.now()).catch((err: unknown) =>
      log.warn({ err }, 'cannot refresh the Teams channel reference'),
    );
    if (!id) return {};
    const url = teamsMessageLink({
      channelId,
      messageId: id,
      parentMessageId: post.replyTo ?? id,
      tenantId: stored.reference.conversation?.tenantId,
      groupId: team.groupId,
      teamName: team.teamName,
      channelName: team.channelName,
    });
    return url ? { id, url } : { id };
  }

  /**
   * What a link to a message in the channel needs of its team. Only the activity adding fixpath to the
   * team names the team's group; it happens in the General channel, whose conversation id is the team id.
   */
  async #teamOf(channelId: string, stored: StoredTeamsReference, log: Logger): Promise<TeamsChannelFacts> {
    const facts = stored.channel ?? {};
    if (facts.groupId || !facts.teamId || facts.teamId === channelId) return facts;
    try {
      const team = (await loadReference(this.#options.references, channelKey(facts.teamId)))?.channel;
      return { ...facts, groupId: team?.groupId, teamName: facts.teamName ?? team?.teamName };
    } catch (err) {
      log.warn({ err }, 'cannot read the Teams team reference; the post gets no link');
      return facts;
    }
  }

  async #postOnce(
    reference: Partial<ConversationReference>,
    post: TeamsChannelPost,
  ): Promise<string | undefined> {
    const outcome: { id?: string; failure?: { error: unknown } } = {};
    // Caught inside the turn: botbuilder would otherwise hand the error to onTurnError.
    await this.#options.adapter.continueConversationAsync(this.#options.appId, reference, async (context) => {
      context.activity.id = undefined;
      try {
        const sent = await context.sendActivity({
          type: 'message',
          // Text beside a card makes Teams split the message and lose the id: the text goes in the
          // summary notifications show; the card carries its own fallback text.
          summary: post.text,
          attachments: [CardFactory.adaptiveCard(post.card)],
        });
        if (sent?.id) outcome.id = sent.id;
      } catch (err) {
        outcome.failure = { error: err };
      }
    });
    if (outcome.failure) toTeamsError(outcome.failure.error, 'post to the channel');
    return outcome.id;
  }

  async #send(
    conversationKey: string,
    reference: Partial<ConversationReference>,
    replies: TeamsReply[],
    log: Logger,
  ): Promise<unknown[]> {
    const failures: unknown[] = [];
    // Errors are caught inside the turn: botbuilder would otherwise hand them to onTurnError.
    await this.#options.adapter.continueConversationAsync(this.#options.appId, reference, async (context) => {
      // The continuation activity has a made-up id; without it, sends go to the conversation itself
      // (a channel's reply chain is in the conversation id) instead of "replying" to that id.
      context.activity.id = undefined;
      for (const reply of replies) {
        try {
          await this.#sendOne(context, conversationKey, reply, log);
        } catch (err) {
          failures.push(err);
          log.error({ err, reply: reply.kind }, 'Teams reply failed');
        }
      }
    });
    return failures;
  }

  async #sendOne(
    context: TurnContext,
    conversationKey: string,
    reply: TeamsReply,
    log: Logger,
  ): Promise<void> {
    switch (reply.kind) {
      case 'text':
        await context
          .sendActivity({ type: 'message', text: reply.text })
          .catch((err) => toTeamsError(err, 'send'));
        return;
      case 'post-card':
        await this.#post(context, conversationKey, reply.card, reply.stepCard);
        return;
      case 'update-card':
        try {
          await context.updateActivity({ ...cardMessage(reply.card), id: reply.activityId });
        } catch (err) {
          // The card's message was deleted: the guide goes on in a new one.
          if (connectorStatus(err) !== 404) toTeamsError(err, 'update');
          log.warn({ activityId: reply.activityId }, 'card to update is gone, posting it anew');
          await this.#post(context, conversationKey, reply.card, true);
        }
        return;
    }
  }

  async #post(context: TurnContext, conversationKey: string, card: AdaptiveCard, stepCard: boolean) {
    const sent = await context.sendActivity(cardMessage(card)).catch((err) => toTeamsError(err, 'send'));
    const id = sent?.id;
    if (!stepCard || !id) return;
    const reference = context.activity.relatesTo ?? {};
    await updateReference(this.#options.references, conversationKey, (current) => ({
      reference: current?.reference ?? reference,
      cardActivityId: id,
    }));
  }
}

function channelOnly(channelId: string) {
  return { id: channelId, name: '', conversationType: 'channel', isGroup: true };
}

function cardMessage(card: AdaptiveCard) {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}
