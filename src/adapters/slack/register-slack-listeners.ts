import type { App, BlockAction, webApi } from '@slack/bolt';
import { isFixpathError } from '../../errors.ts';
import type { ConversationEvent, TurnInput } from '../../runtime/conversation-event.ts';
import { runTurn } from '../../runtime/run-turn.ts';
import { FORM_CALLBACK_ID, readAction } from './action-ids.ts';
import { START_ACTION } from './guide-offers-message.ts';
import { homeView } from './home-view.ts';
import { offerGuides } from './offer-guides.ts';
import { readModalValues } from './read-modal-values.ts';
import { modalErrors, readModalMeta, renderFormModal } from './render-form-modal.ts';
import { showTurnResult } from './show-turn-result.ts';
import { parseSlackConversationKey, slackConversationKey } from './slack-conversation-key.ts';
import { CLICK_DEDUPE_TTL_MS, DEDUPE_TTL_MS, type SlackDeps } from './slack-deps.ts';

const SHORTCUT_CALLBACK_ID = 'fixpath_troubleshoot';
const UNAVAILABLE = 'fixpath is temporarily unavailable, so nothing changed. Please try again in a moment.';

/**
 * Every way into fixpath from Slack: the slash command, mentions, direct messages, the message
 * shortcut, support-channel intake, card clicks, form modals and App Home. Each handler acks first
 * and does the slow work after, and every delivery is claimed once so retries and duplicates apply once.
 */
export function registerSlackListeners(app: App, deps: SlackDeps): void {
  const { logger } = deps;
  const runSlackTurn = (input: TurnInput) =>
    runTurn(deps.engine, input, {
      log: logger.child({ platform: 'slack', conversationKey: input.key }),
      platform: 'slack',
      observer: deps.observer,
    });
  const once = (key: string) => deps.dedupe.claim(`slack:${key}`, DEDUPE_TTL_MS);

  app.command('/fixpath', async ({ ack, command, client, respond }) => {
    await ack();
    try {
      await offerGuides(deps, client, {
        channel: command.channel_id,
        threadTs: undefined,
        text: command.text,
        userId: command.user_id,
      });
    } catch (err) {
      logger.warn({ err, channel: command.channel_id }, 'cannot post in the channel of a slash command');
      await respond({
        response_type: 'ephemeral',
        text: 'I cannot post in this channel. Invite me with `/invite @fixpath`, or send me a direct message.',
      });
    }
  });

  app.event('app_mention', async ({ event, body, client }) => {
    if (!(await once(`event:${body.event_id}`)) || !(await once(`msg:${event.channel}:${event.ts}`))) return;
    const text = event.text.replace(/<@[A-Z0-9]+>/g, '').trim();
    await offerGuides(deps, client, { channel: event.channel, threadTs: event.thread_ts ?? event.ts, text });
  });

  app.message(async ({ message, body, client }) => {
    if (message.subtype !== undefined || !('text' in message) || 'bot_id' in message) return;
    const isDirect = message.channel_type === 'im';
    const isIntake = deps.intakeChannels.has(message.channel) && message.thread_ts === undefined;
    if (!isDirect && !isIntake) return;
    if (!(await once(`event:${body.event_id}`)) || !(await once(`msg:${message.channel}:${message.ts}`)))
      return;
    await offerGuides(deps, client, {
      channel: message.channel,
      threadTs: message.thread_ts ?? message.ts,
      text: message.text ?? '',
    });
  });

  app.shortcut(SHORTCUT_CALLBACK_ID, async ({ ack, shortcut, client }) => {
    await ack();
    if (shortcut.type !== 'message_action') return;
    const threadTs = (shortcut.message.thread_ts as string | undefined) ?? shortcut.message.ts;
    await offerGuides(deps, client, {
      channel: shortcut.channel.id,
      threadTs,
      text: shortcut.message.text ?? '',
    });
  });

  app.action<BlockAction>(/^fp:/, async ({ ack, body, action, client }) => {
    await ack();
    if (!body.channel || !body.message) return;
    const place = {
      teamId: body.team?.id ?? body.user.team_id ?? 'T',
      channel: body.channel.id,
      threadTs: (body.message.thread_ts as string | undefined) ?? body.message.ts,
      messageTs: body.message.ts,
      userId: body.user.id,
    };
    const key = slackConversationKey(place.teamId, place.channel, place.threadTs);
    const actor = { id: body.user.id, name: body.user.name ?? body.user.username };
    const log = logger.child({ platform: 'slack', conversationKey: key, actionId: action.action_id });
    try {
      if (START_ACTION.test(action.action_id) && 'value' in action && typeof action.value === 'string') {
        // Already running here (the card may never have been posted, if a replica died): post it again.
        const result = await runSlackTurn({ key, event: { type: 'start', flowId: action.value }, actor });
        await showTurnResult(client, { ...place, messageTs: undefined }, result);
        return;
      }
      const read = readAction(action as Parameters<typeof readAction>[0]);
      if (read.kind === 'unknown') {
        await ephemeral(
          client,
          place,
          'That button belongs to an older version of fixpath. Start again with `/fixpath`.',
        );
        return;
      }
      if (read.kind !== 'open-form') {
        // A double click arrives within a second; the claim lapses fast so a click whose turn failed can be
        // tried again. Opening a form twice is harmless (and needed after Cancel), so it is never dropped.
        const click = `click:${read.conversationId}:${read.revision}:${body.user.id}:${action.action_id}`;
        if (!(await deps.dedupe.claim(`slack:${click}`, CLICK_DEDUPE_TTL_MS))) return;
      }
      if (read.kind === 'open-form') {
        const shown = await runSlackTurn({ key, event: { type: 'show' }, actor, ...cardOf(read) });
        if (shown.outcome !== 'unchanged' || !shown.view.form) {
          await showTurnResult(client, place, shown);
          return;
        }
        await client.views.open({
          trigger_id: body.trigger_id,
          view: renderFormModal(shown.view, { conversationKey: key, messageTs: place.messageTs }),
        });
        return;
      }
      const result = await runSlackTurn({ key, event: read.event, actor, ...cardOf(read) });
      if (result.outcome === 'rejected')
        log.warn({ reason: result.reason }, 'click not accepted by the step');
      await showTurnResult(client, place, result);
    } catch (err) {
      log.error({ err }, 'card action failed');
      await ephemeral(
        client,
        place,
        isFixpathError(err, 'store_unavailable')
          ? UNAVAILABLE
          : 'Something went wrong on our side; nothing changed.',
      );
    }
  });

  app.view(FORM_CALLBACK_ID, async ({ ack, body, view, client }) => {
    const meta = readModalMeta(view.private_metadata);
    if (!meta) {
      await ack();
      return;
    }
    const where = parseSlackConversationKey(meta.conversationKey);
    const values = readModalValues(view.state.values as Record<string, Record<string, unknown>>);
    const event: ConversationEvent = { type: 'submit', values };
    const actor = { id: body.user.id, name: body.user.name };
    const input = {
      key: meta.conversationKey,
      event,
      actor,
      revision: meta.revision,
      conversationId: meta.conversationId,
    };
    let result: Awaited<ReturnType<typeof runSlackTurn>>;
    try {
      result = await runSlackTurn(input);
    } catch (err) {
      logger.error({ err, conversationKey: meta.conversationKey }, 'form submission failed');
      await ack({ response_action: 'errors', errors: firstFieldError(view, UNAVAILABLE) });
      return;
    }
    if (result.outcome === 'invalid') {
      await ack({ response_action: 'errors', errors: modalErrors(result.view) });
      return;
    }
    await ack();
    if (!where) return;
    const place = {
      channel: where.channel,
      threadTs: where.threadTs,
      messageTs: meta.messageTs,
      userId: body.user.id,
    };
    await showTurnResult(client, place, result).catch((err: unknown) => {
      logger.error({ err, conversationKey: meta.conversationKey }, 'cannot update the card after a form');
    });
  });

  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const conversations = await deps.engine.listConversations(event.user);
    const linked = await Promise.all(
      conversations.slice(0, 10).map(async (c) => {
        const where = parseSlackConversationKey(c.key);
        if (!where) return c;
        const link = await client.chat
          .getPermalink({ channel: where.channel, message_ts: where.threadTs })
          .catch(() => undefined);
        return link?.permalink ? { ...c, link: link.permalink } : c;
      }),
    );
    const guides = deps.engine.flows.list().map((f) => f.definition);
    await client.views.publish({ user_id: event.user, view: homeView(guides, linked) });
  });
}

/** What a clicked card was drawn for: its revision, conversation and guide. */
function cardOf(read: { revision: number; conversationId: string; flowId?: string }) {
  return {
    revision: read.revision,
    ...(read.conversationId === '' ? {} : { conversationId: read.conversationId }),
    ...(read.flowId ? { flowId: read.flowId } : {}),
  };
}

async function ephemeral(
  client: webApi.WebClient,
  place: { channel: string; threadTs: string; userId: string },
  text: string,
) {
  await client.chat.postEphemeral({
    channel: place.channel,
    user: place.userId,
    thread_ts: place.threadTs,
    text,
  });
}

/** A modal error needs a block to hang on: the first input of the form. */
function firstFieldError(
  view: { blocks: ReadonlyArray<{ block_id?: string; type: string }> },
  message: string,
) {
  const first = view.blocks.find((b) => b.type === 'input')?.block_id ?? 'field';
  return { [first]: message };
}
