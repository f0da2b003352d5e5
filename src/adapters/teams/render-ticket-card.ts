import type { Ticket } from '../../escalation/ticket.ts';
import { type CardDetail, fitCard, oneLine, TEAMS_CARD_LIMITS, truncate } from './card-limits.ts';
import { guideText, userText } from './card-text.ts';
import type { AdaptiveCard } from './render-step-card.ts';
import { captureFacts, OUTCOME_MARK, stepsTriedLine, ticketFacts } from './render-ticket-summary.ts';

/**
 * The escalation ticket as a card for the team's Teams channel: what happened, what was captured, what
 * was tried and the path taken (the newest steps kept when it is long). Read-only: no actions.
 */
export function renderTicketCard(ticket: Ticket): AdaptiveCard {
  return fitCard((detail) => drawTicketCard(ticket, detail));
}

function drawTicketCard(ticket: Ticket, detail: CardDetail): AdaptiveCard {
  const { guide } = ticket;
  const reviewed = guide.reviewedBy ? `, reviewed by ${guide.reviewedBy}` : '';
  const body: object[] = [
    {
      type: 'TextBlock',
      text: userText(ticket.title),
      weight: 'bolder',
      size: 'large',
      wrap: true,
      style: 'heading',
    },
    {
      type: 'TextBlock',
      text: `Guide: ${guide.title} (${guide.id} v${userText(guide.version)}, owner ${guide.owner}${reviewed})`,
      isSubtle: true,
      size: 'small',
      wrap: true,
      spacing: 'none',
    },
    {
      type: 'Container',
      style: 'attention',
      items: [
        {
          type: 'TextBlock',
          text: `**${ticket.headline}.** ${guideText(truncate(ticket.message, detail.textChars))}`,
          wrap: true,
        },
      ],
    },
    ticketFacts(ticket, { full: true }),
  ];

  const capture = captureFacts(ticket, detail);
  if (capture) {
    body.push(heading('What to capture'));
    if (ticket.captureIntro) body.push(subtle(guideText(ticket.captureIntro)));
    body.push(capture);
  }

  const tried = stepsTriedLine(ticket, detail);
  body.push(heading('Steps already tried'), { type: 'TextBlock', text: tried ?? 'None', wrap: true });

  if (ticket.path.length > 0) {
    const kept = ticket.path.slice(-detail.ticketPathEntries);
    const first = ticket.path.length - kept.length;
    body.push(heading('Path taken'));
    if (first > 0) body.push(subtle(`${first} earlier ${first === 1 ? 'step' : 'steps'} not shown`));
    body.push({
      type: 'TextBlock',
      text: kept
        .map((entry) => {
          const mark = entry.outcome ? `${OUTCOME_MARK[entry.outcome]} ` : '';
          const answer = userText(truncate(oneLine(entry.answer), detail.ticketValueChars));
          return `- ${mark}${entry.title}: ${answer}`;
        })
        .join('\r'),
      wrap: true,
    });
  }

  const { ladder } = ticket;
  if (ladder.layers.length > 0) {
    body.push(heading('Escalation ladder'));
    if (ladder.intro) body.push(subtle(guideText(ladder.intro)));
    body.push({
      type: 'TextBlock',
      text: ladder.layers.map((l) => `- ${l.visited ? '✓' : '○'} ${l.title}`).join('\r'),
      wrap: true,
    });
  }

  const fallback = `Ticket for ${ticket.team} (${ticket.severity}): ${userText(ticket.title)}`;
  return {
    type: 'AdaptiveCard',
    version: TEAMS_CARD_LIMITS.version,
    body,
    fallbackText: truncate(fallback, TEAMS_CARD_LIMITS.fallbackTextChars),
  };
}

function heading(text: string): object {
  return { type: 'TextBlock', text, weight: 'bolder', wrap: true, spacing: 'medium', separator: true };
}

function subtle(text: string): object {
  return { type: 'TextBlock', text, isSubtle: true, size: 'small', wrap: true, spacing: 'none' };
}
