import { redactSecrets } from '../../escalation/redact-secrets.ts';
import type { GuideMatch } from '../../runtime/match-guides.ts';
import { cardAction } from './card-action.ts';
import { oneLine, TEAMS_CARD_LIMITS, truncate } from './card-limits.ts';
import { userText } from './card-text.ts';
import type { AdaptiveCard } from './render-step-card.ts';

export interface OffersOptions {
  /** What the person wrote, quoted back so the card reads as an answer to it ('' for the `guides` list). */
  asked: string;
  /** The guide offered as the way out ("None of these: file a ticket"), when it is loaded. */
  fallbackFlowId: string | undefined;
}

const ASKED_CHARS = 300;
const SUMMARY_CHARS = 400;

/**
 * The reply to a described problem: the best-matching guides, each with a Start button, and a way to
 * file a ticket when none fits. A Start button sends the `start` event like any card action (no
 * conversation or revision yet), so `readCardAction` reads it back; the guide's card is then posted.
 */
export function renderGuideOffersCard(matches: readonly GuideMatch[], options: OffersOptions): AdaptiveCard {
  // Quoted back where others may read it: a pasted token is redacted here as in every ticket.
  const asked = oneLine(redactSecrets(options.asked));
  const intro =
    matches.length === 0
      ? 'No guide matches that yet.'
      : asked === ''
        ? 'These are the guides you can start:'
        : matches.length === 1
          ? 'This guide may help:'
          : 'These guides may help:';
  const start = (title: string, flowId: string, style?: 'positive') =>
    cardAction(title, { c: '', v: 0, e: { type: 'start', flowId } }, style ? { style } : {});
  const body: object[] = [{ type: 'TextBlock', text: intro, weight: 'bolder', wrap: true }];
  if (asked !== '') {
    body.push({
      type: 'TextBlock',
      text: `"${userText(truncate(asked, ASKED_CHARS))}"`,
      isSubtle: true,
      wrap: true,
      spacing: 'none',
    });
  }
  matches.forEach((match, i) => {
    body.push({
      type: 'Container',
      separator: true,
      spacing: 'medium',
      items: [
        { type: 'TextBlock', text: match.title, weight: 'bolder', wrap: true },
        {
          type: 'TextBlock',
          text: truncate(oneLine(match.summary), SUMMARY_CHARS),
          wrap: true,
          spacing: 'small',
        },
        { type: 'ActionSet', actions: [start('Start', match.flowId, i === 0 ? 'positive' : undefined)] },
      ],
    });
  });
  const fallback = options.fallbackFlowId;
  const label = matches.length === 0 ? 'File a ticket' : 'None of these: file a ticket';
  return {
    type: 'AdaptiveCard',
    version: TEAMS_CARD_LIMITS.version,
    body,
    ...(fallback === undefined ? {} : { actions: [start(label, fallback)] }),
    fallbackText: truncate(
      matches.length === 0 ? intro : `Guides that may help: ${matches.map((m) => m.title).join(', ')}`,
      TEAMS_CARD_LIMITS.fallbackTextChars,
    ),
  };
}
