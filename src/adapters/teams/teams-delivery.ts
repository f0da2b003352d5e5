import { CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import { FixpathError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import type { ConversationStore } from '../../stores/conversation-store.ts';
import type { KeyedQueue } from './keyed-queue.ts';
import type { AdaptiveCard } from './render-step-card.ts';
import { loadReference, type StoredTeamsReference, updateReference } from './teams-reference-store.ts';
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
      throw new FixpathError('internal', `no Teams conversation is known by the key ${conversationKey}`);
    }
    const log = this.#options.logger.child({ platform: 'teams', conversationKey });
    const failures = await this.#options.queue.run(conversationKey, () =>
      this.#send(conversationKey, stored.reference, [{ kind: 'text', text }], log),
    );
    if (failures.length > 0) throw failures[0];
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

function cardMessage(card: AdaptiveCard) {
  return { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
}
