import type { Ticket } from '../../escalation/ticket.ts';
import type { StepOutcome } from '../../machine/derive-path.ts';
import { type CardDetail, oneLine, truncate } from './card-limits.ts';
import { userText } from './card-text.ts';

export const OUTCOME_MARK: Record<StepOutcome, string> = { worked: '✓', did_not_work: '✗', skipped: '⤼' };
const SEVERITY: Record<Ticket['severity'], string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

function reporterOf(ticket: Ticket): string {
  const { name, id } = ticket.reporter;
  return name ? `${userText(name)} (${userText(id)})` : userText(id);
}

/** Who the ticket is for and how urgent, the key facts every ticket view starts with. */
export function ticketFacts(ticket: Ticket, { full }: { full: boolean }): object {
  const reached = ticket.ladder.reached;
  const facts = [
    // The filed step's card already says who it is for, in its own words.
    ...(full ? [{ title: 'For', value: ticket.team }] : []),
    { title: 'Severity', value: SEVERITY[ticket.severity] },
    { title: 'Reported by', value: reporterOf(ticket) },
    ...(full
      ? [
          {
            title: 'How it got here',
            value:
              ticket.reason === 'help_now'
                ? 'The user asked for help ("I need help now")'
                : 'The guide ran out of fixes',
          },
          {
            title: 'Ladder reached',
            value: reached
              ? `${reached.title} (layer ${reached.index} of ${reached.count})`
              : 'None of the layers',
          },
          {
            title: 'Conversation',
            value: `${userText(ticket.conversationId)} · escalation #${ticket.escalationNumber}`,
          },
          { title: 'Filed', value: ticket.createdAt },
        ]
      : [{ title: 'Escalation', value: `#${ticket.escalationNumber}` }]),
  ];
  return { type: 'FactSet', facts };
}

/** What the guide asked to capture, with the values given (typed text escaped, long values cut). */
export function captureFacts(ticket: Ticket, detail: CardDetail): object | null {
  if (ticket.capture.length === 0) return null;
  return {
    type: 'FactSet',
    facts: ticket.capture.map((item) => ({
      title: item.label,
      value: userText(truncate(oneLine(item.value), detail.ticketValueChars)) || '—',
    })),
  };
}

/**
 * The fix steps tried, with their outcome marks, the newest kept when there are many: "2 earlier ·
 * ✗ Raise the timeout · ⤼ Clear the cache".
 */
export function stepsTriedLine(ticket: Ticket, detail: CardDetail): string | null {
  if (ticket.stepsTried.length === 0) return null;
  const kept = ticket.stepsTried.slice(-detail.ticketPathEntries);
  const hidden = ticket.stepsTried.length - kept.length;
  const line = kept.map((s) => `${OUTCOME_MARK[s.outcome]} ${s.title}`).join(' · ');
  return hidden > 0 ? `${hidden} earlier · ${line}` : line;
}

/** The compact ticket shown on the card of a filed escalation. */
export function renderTicketSummary(ticket: Ticket, detail: CardDetail): object {
  const tried = stepsTriedLine(ticket, detail);
  const capture = captureFacts(ticket, detail);
  return {
    type: 'Container',
    style: 'emphasis',
    spacing: 'medium',
    items: [
      { type: 'TextBlock', text: `Ticket: ${userText(ticket.title)}`, weight: 'bolder', wrap: true },
      ticketFacts(ticket, { full: false }),
      ...(capture ? [capture] : []),
      ...(tried
        ? [
            {
              type: 'TextBlock',
              text: `**Steps tried:** ${tried}`,
              wrap: true,
              size: 'small',
              spacing: 'small',
            },
          ]
        : []),
    ],
  };
}
