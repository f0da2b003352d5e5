import type { types } from '@slack/bolt';
import { guidePlain } from './escape-mrkdwn.ts';
import { truncate } from './limits.ts';

/** Text objects and long-text handling shared by the message, modal and ticket renderers. */

/** A plain_text object on one line, cut to `max`; a guide's `code` and **bold** marks are dropped. */
export function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: truncate(oneLine(guidePlain(text)), max) || '…', emoji: true };
}

/**
 * A mrkdwn text object. `verbatim` stops Slack auto-linking URLs and channel names, for text that holds
 * anything a user typed; the text is expected to be escaped already.
 */
export function mrkdwn(text: string, { verbatim = false }: { verbatim?: boolean } = {}): types.MrkdwnElement {
  return verbatim ? { type: 'mrkdwn', text, verbatim: true } : { type: 'mrkdwn', text };
}

/** Plain text for places that show one line (buttons, options, titles). */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Splits mrkdwn into pieces of at most `max` characters, preferring paragraph breaks, then line breaks,
 * then sentence ends, then spaces; a piece is cut hard only when it has no space at all. Entities such as
 * `&amp;` and surrogate pairs are never split.
 */
export function splitText(text: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > max) {
    const cut = cutPoint(rest, max);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece.length > 0) pieces.push(piece);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

/** Where text may break, best first, with how far past the match the piece ends. */
const BREAKS: Array<[RegExp, number]> = [
  [/\n\s*\n/g, 0],
  [/\n/g, 0],
  [/[.!?:;](?=\s)/g, 1],
  [/\s/g, 0],
];

function cutPoint(text: string, max: number): number {
  const window = text.slice(0, max + 1);
  const floor = Math.floor(max * 0.5);
  for (const [pattern, offset] of BREAKS) {
    let best = -1;
    for (const match of window.matchAll(pattern)) {
      const end = match.index + offset;
      if (end <= max && end >= floor) best = end;
    }
    if (best > 0) return best;
  }
  let cut = max;
  const entity = /&[a-z]{0,4}$/.exec(text.slice(0, cut));
  if (entity && entity.index > 0) cut = entity.index;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return cut;
}

/**
 * Every character of text a message's blocks hold (text objects in blocks, fields, elements, buttons,
 * options, placeholders, confirmations): what Slack counts towards `msg_blocks_too_long`, counted
 * generously.
 */
export function countBlockText(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + countBlockText(item), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let total = 0;
  for (const [key, item] of Object.entries(value)) {
    if (key === 'text' && typeof item === 'string') total += item.length;
    else if (typeof item === 'object') total += countBlockText(item);
  }
  return total;
}

/** The shortest a text is cut to when a message has to shrink. */
const SHRINK_FLOOR = 100;

/**
 * The last guard on `msg_blocks_too_long`: while the blocks hold more than `max` characters of text, the
 * longest section or context text is cut (never below 100 characters). Headers, buttons and options are
 * left alone; the renderers keep those small. Mutates and returns the blocks it was given.
 */
export function shrinkToFit<B extends object>(blocks: B[], max: number): B[] {
  const texts = blocks.flatMap((block): Array<{ text: string }> => {
    const { type, text, fields, elements } = block as {
      type?: string;
      text?: { text: string };
      fields?: Array<{ text: string }>;
      elements?: Array<{ text?: unknown }>;
    };
    if (type === 'section') return [...(text ? [text] : []), ...(fields ?? [])];
    if (type === 'context')
      return (elements ?? []).filter((e): e is { text: string } => typeof e.text === 'string');
    return [];
  });
  let excess = countBlockText(blocks) - max;
  while (excess > 0) {
    const longest = texts.reduce<{ text: string } | undefined>(
      (a, b) => (a === undefined || b.text.length > a.text.length ? b : a),
      undefined,
    );
    if (!longest || longest.text.length <= SHRINK_FLOOR) break;
    const before = longest.text.length;
    longest.text = truncate(longest.text, Math.max(SHRINK_FLOOR, before - excess));
    excess -= before - longest.text.length;
  }
  return blocks;
}
