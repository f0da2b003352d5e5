import type { ConversationEvent } from '../../runtime/conversation-event.ts';
import { CARD_VERB } from './card-limits.ts';

/** The key under which every fixpath action carries its payload, beside any inputs Teams merges in. */
export const PAYLOAD_KEY = 'fixpath';
/** Form inputs are named `field:<fieldId>`, so they land next to the payload without clashing with it. */
export const FIELD_INPUT_PREFIX = 'field:';

/**
 * What a card action sends back: the conversation and revision the card was drawn for (so a click on
 * an old card is caught), the guide (so an expired conversation can offer it again) and the event.
 */
export interface CardPayload {
  /** The conversation id, or '' when the view has none (an expired conversation's card). */
  c: string;
  v: number;
  /** The guide id, when the view belongs to one. */
  f?: string;
  e: ConversationEvent;
}

export interface CardActionOptions {
  /** `positive` and `destructive` are valid 1.5 styles; Teams draws them as ordinary buttons. */
  style?: 'positive' | 'destructive';
  /** `auto` gathers and validates the card's inputs (a form submit); everything else sends none. */
  inputs?: 'auto' | 'none';
  tooltip?: string;
  /** `secondary` moves the button into the "…" overflow menu. */
  mode?: 'secondary';
}

export function fieldInputId(fieldId: string): string {
  return `${FIELD_INPUT_PREFIX}${fieldId}`;
}

/**
 * One button: `Action.Execute` (a Universal Action: Teams sends an `adaptiveCard/action` invoke and
 * shows everyone the card the bot answers with) falling back to an `Action.Submit` with the same data
 * for clients without Universal Actions (a `message` activity whose `value` is the data).
 */
export function cardAction(title: string, payload: CardPayload, options: CardActionOptions = {}): object {
  const data = { [PAYLOAD_KEY]: payload };
  const common = {
    title,
    data,
    // Without this a Back or Start over click would first have to satisfy every required input.
    ...(options.inputs === 'auto' ? {} : { associatedInputs: 'none' }),
    ...(options.style ? { style: options.style } : {}),
    ...(options.tooltip ? { tooltip: options.tooltip } : {}),
    ...(options.mode ? { mode: options.mode } : {}),
  };
  return {
    type: 'Action.Execute',
    verb: CARD_VERB,
    ...common,
    fallback: { type: 'Action.Submit', ...common },
  };
}
