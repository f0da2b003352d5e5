import type { Activity } from 'botbuilder';
import { CARD_VERB } from './card-limits.ts';
import { type CardAction, readCardAction } from './read-card-action.ts';

/** An activity normalised at the edge: what fixpath acts on, with no botbuilder types past this point. */
export type TeamsInbound =
  /** Something typed to the bot, the bot's own @mention taken out. */
  | { kind: 'text'; text: string }
  /**
   * A card button: an `Action.Execute` invoke (answered with the refreshed card) or its `Action.Submit`
   * fallback, a message whose `value` is the data (the card is then replaced with `updateActivity`).
   */
  | { kind: 'click'; via: 'invoke' | 'submit'; action: CardAction; cardActivityId: string | undefined }
  /** The bot was added to a chat or team. */
  | { kind: 'installed' }
  /** An invoke fixpath does not handle: botbuilder answers 501. */
  | { kind: 'other-invoke' }
  | { kind: 'ignored' };

const ADAPTIVE_CARD_ACTION = 'adaptiveCard/action';

export function readTeamsActivity(activity: Partial<Activity>): TeamsInbound {
  switch (activity.type) {
    case 'invoke':
      return readInvoke(activity);
    case 'message': {
      if (isObject(activity.value)) {
        return {
          kind: 'click',
          via: 'submit',
          action: readCardAction(activity.value),
          cardActivityId: activity.replyToId,
        };
      }
      return { kind: 'text', text: withoutBotMention(activity) };
    }
    case 'conversationUpdate': {
      const botId = activity.recipient?.id;
      return botId && activity.membersAdded?.some((m) => m.id === botId)
        ? { kind: 'installed' }
        : { kind: 'ignored' };
    }
    default:
      return { kind: 'ignored' };
  }
}

function readInvoke(activity: Partial<Activity>): TeamsInbound {
  if (activity.name !== ADAPTIVE_CARD_ACTION) return { kind: 'other-invoke' };
  const action = isObject(activity.value) ? activity.value.action : undefined;
  const ours = isObject(action) && action.type === 'Action.Execute' && action.verb === CARD_VERB;
  return {
    kind: 'click',
    via: 'invoke',
    action: ours ? readCardAction(action.data) : { kind: 'unknown' },
    cardActivityId: activity.replyToId,
  };
}

/**
 * The text without the bot's own mention (`<at>fixpath</at>`), other people's mentions kept as their
 * names, the few HTML entities Teams sends decoded and whitespace collapsed.
 */
function withoutBotMention(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  for (const entity of activity.entities ?? []) {
    const mention = entity as { type?: string; text?: unknown; mentioned?: { id?: string } };
    if (mention.type === 'mention' && mention.mentioned?.id === botId && typeof mention.text === 'string') {
      text = text.split(mention.text).join(' ');
    }
  }
  return text
    .replace(/<at>(.*?)<\/at>/g, '$1')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
