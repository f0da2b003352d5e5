import type { types } from '@slack/bolt';
import { redactSecrets } from '../../escalation/redact-secrets.ts';

type KnownBlock = types.KnownBlock;

import type { GuideMatch } from '../../runtime/match-guides.ts';
import { escapeMrkdwn } from './escape-mrkdwn.ts';
import { truncate } from './limits.ts';

/** Buttons that start a guide carry `fp:start:<n>` and the guide id as their value. */
export const START_ACTION = /^fp:start:\d+$/;

export interface OfferOptions {
  /** What the person wrote, quoted back so the thread reads as an answer to it. */
  asked: string;
  /** The guide offered as the way out ("None of these: file a ticket"), when it is loaded. */
  fallbackFlowId: string | undefined;
  /** Who asked, when the offers start a thread of their own (a slash command). */
  askedBy?: string;
}

/** The threaded reply that offers the best-matching guides for what someone wrote. */
export function guideOffersMessage(
  matches: readonly GuideMatch[],
  options: OfferOptions,
): { text: string; blocks: KnownBlock[] } {
  // Quoted back in a channel everyone reads: a pasted token is redacted here as in every ticket.
  const asked = redactSecrets(options.asked.trim());
  const who = options.askedBy ? `<@${options.askedBy}> asked for help. ` : '';
  const intro =
    who +
    (matches.length === 0
      ? 'No guide matches that yet.'
      : matches.length === 1
        ? 'This guide may help:'
        : 'These guides may help:');
  const blocks: KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: asked === '' ? intro : `${intro}\n>${truncate(escapeMrkdwn(asked.replace(/\s+/g, ' ')), 300)}`,
      },
    },
  ];
  matches.forEach((match, i) => {
    blocks.push({
      type: 'section',
      block_id: `fp-offer-${i}`,
      text: {
        type: 'mrkdwn',
        text: truncate(`*${escapeMrkdwn(match.title)}*\n${escapeMrkdwn(match.summary)}`, 3000),
      },
      accessory: {
        type: 'button',
        action_id: `fp:start:${i}`,
        text: { type: 'plain_text', text: 'Start' },
        value: match.flowId,
        ...(i === 0 ? { style: 'primary' as const } : {}),
      },
    });
  });
  if (options.fallbackFlowId !== undefined) {
    blocks.push({
      type: 'actions',
      block_id: 'fp-offer-fallback',
      elements: [
        {
          type: 'button',
          action_id: `fp:start:${matches.length}`,
          text: {
            type: 'plain_text',
            text: matches.length === 0 ? 'File a ticket' : 'None of these: file a ticket',
          },
          value: options.fallbackFlowId,
        },
      ],
    });
  }
  const text =
    matches.length === 0
      ? 'No guide matches that yet.'
      : `Guides that may help: ${matches.map((m) => m.title).join(', ')}`;
  return { text, blocks };
}
