/**
 * What Teams accepts and renders, as fixpath designs its cards for it, and the helpers that keep a card
 * inside those limits. Adaptive Cards have no per-field caps of their own: the bound is the size of the
 * whole card, so long guide text, long histories and long forms are shortened step by step until the
 * card fits (see `fitCard`).
 */
export const TEAMS_CARD_LIMITS = {
  /** The highest Adaptive Card version Teams renders. */
  version: '1.5',
  /** The design budget for one card's JSON: the incoming-webhook cap, safely under the bot message cap. */
  cardBytes: 28_000,
  /** A bot message bigger than this is refused with 413 `MessageSizeTooBig`. */
  messageBytes: 40_000,
  /** Buttons side by side in one ActionSet: Teams shows up to six, older clients drop the rest. */
  actionsPerSet: 5,
  /** Card data coming back bigger than this is not fixpath's (30 fields of 3,000 characters fit). */
  actionDataBytes: 100_000,
  /** The plain-text stand-in for clients that cannot draw the card. */
  fallbackTextChars: 1_000,
} as const;

/** The `verb` of every `Action.Execute` fixpath draws; invokes with another verb are not fixpath's. */
export const CARD_VERB = 'fixpath';

/** How much of each part a card shows: the first level that fits the budget wins. */
export interface CardDetail {
  /** Answered steps kept in the history line (the newest; 0 leaves it out), and its length. */
  historyItems: number;
  historyChars: number;
  /** One history entry, e.g. a long answer typed into a form. */
  historyItemChars: number;
  /** A paragraph of guide text (or a notice); the items of a list shown, and one item's length. */
  textChars: number;
  listItems: number;
  listItemChars: number;
  /** A form field's label and placeholder; placeholders go when space is short. */
  labelChars: number;
  placeholders: boolean;
  /** Help under a form field (0 leaves it out), and an error under one. */
  helpChars: number;
  errorChars: number;
  /** A value typed into a form, shown again when it was refused. */
  valueChars: number;
  faqAnswerChars: number;
  /** Show question choices' descriptions in the body, and as button tooltips. */
  descriptions: boolean;
  /** Entries of the path and steps tried on a ticket (the newest), and the length of a captured value. */
  ticketPathEntries: number;
  ticketValueChars: number;
}

export const CARD_DETAIL: readonly CardDetail[] = [
  {
    historyItems: 8,
    historyChars: 800,
    historyItemChars: 160,
    textChars: 3_000,
    listItems: 50,
    listItemChars: 600,
    labelChars: 200,
    placeholders: true,
    helpChars: 400,
    errorChars: 400,
    valueChars: 3_000,
    faqAnswerChars: 3_000,
    descriptions: true,
    ticketPathEntries: 40,
    ticketValueChars: 400,
  },
  {
    historyItems: 4,
    historyChars: 360,
    historyItemChars: 100,
    textChars: 1_200,
    listItems: 25,
    listItemChars: 300,
    labelChars: 120,
    placeholders: true,
    helpChars: 160,
    errorChars: 160,
    valueChars: 500,
    faqAnswerChars: 1_200,
    descriptions: true,
    ticketPathEntries: 15,
    ticketValueChars: 160,
  },
  {
    historyItems: 2,
    historyChars: 160,
    historyItemChars: 70,
    textChars: 500,
    listItems: 12,
    listItemChars: 160,
    labelChars: 80,
    placeholders: true,
    helpChars: 0,
    errorChars: 90,
    valueChars: 120,
    faqAnswerChars: 500,
    descriptions: false,
    ticketPathEntries: 6,
    ticketValueChars: 80,
  },
  {
    historyItems: 1,
    historyChars: 80,
    historyItemChars: 60,
    textChars: 300,
    listItems: 8,
    listItemChars: 100,
    labelChars: 60,
    placeholders: false,
    helpChars: 0,
    errorChars: 60,
    valueChars: 60,
    faqAnswerChars: 300,
    descriptions: false,
    ticketPathEntries: 3,
    ticketValueChars: 40,
  },
  {
    historyItems: 0,
    historyChars: 0,
    historyItemChars: 0,
    textChars: 200,
    listItems: 5,
    listItemChars: 80,
    labelChars: 50,
    placeholders: false,
    helpChars: 0,
    errorChars: 50,
    valueChars: 40,
    faqAnswerChars: 200,
    descriptions: false,
    ticketPathEntries: 2,
    ticketValueChars: 30,
  },
];

/** The size of a value as JSON, in UTF-8 bytes: what Teams counts. */
export function jsonBytes(value: unknown): number {
  return new TextEncoder().encode(JSON.stringify(value)).length;
}

/** Draws a card at each level of detail until one fits the budget; the last level when none does. */
export function fitCard<T>(draw: (detail: CardDetail) => T, budget: number = TEAMS_CARD_LIMITS.cardBytes): T {
  let card: T | undefined;
  for (const detail of CARD_DETAIL) {
    card = draw(detail);
    if (jsonBytes(card) <= budget) return card;
  }
  if (card === undefined) throw new TypeError('CARD_DETAIL has no levels');
  return card;
}

/**
 * Text cut to at most `max` characters (code points, so no emoji is split), at a word boundary when one
 * is near, ending with "…".
 */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  const head = space >= cut.length * 0.8 ? cut.slice(0, space) : cut;
  return `${head.trimEnd()}…`;
}

/** Text on one line: runs of whitespace, newlines included, become one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
