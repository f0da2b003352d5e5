import type { types } from '@slack/bolt';
import type { Ticket } from '../../escalation/ticket.ts';
import { mrkdwn, oneLine } from './block-kit-text.ts';
import { escapeMrkdwn, guideMrkdwn } from './escape-mrkdwn.ts';
import { SLACK_LIMITS as L, truncate } from './limits.ts';

export const SEVERITY = {
  low: ':white_circle: Low',
  normal: ':large_blue_circle: Normal',
  high: ':large_orange_circle: High',
  urgent: ':red_circle: Urgent',
} as const;

/**
 * A filed escalation in the step message: who it went to, how urgent, and what was captured, as section
 * fields. The team is left out when the step already says it. The full ticket is `renderTicketMessage`.
 */
export function renderTicketSummary(ticket: Ticket, max: number, { team = true } = {}): types.KnownBlock[] {
  const filed = team ? `Ticket filed for ${guideMrkdwn(oneLine(ticket.team))}` : 'Ticket filed';
  const head =
    `:ticket: *${filed}*  ·  ${SEVERITY[ticket.severity]} severity` +
    (ticket.escalationNumber > 1 ? `  ·  escalation #${ticket.escalationNumber}` : '');
  const items = ticket.capture.slice(0, L.sectionFields);
  const room = Math.max(0, max - head.length - 60);
  const each = items.length > 0 ? Math.floor(room / items.length) : 0;
  const blocks: types.KnownBlock[] = [{ type: 'section', text: mrkdwn(truncate(head, L.sectionText)) }];
  if (items.length > 0 && each >= 20) {
    blocks.push({
      type: 'section',
      fields: items.map((item) => {
        const label = `*${guideMrkdwn(truncate(oneLine(item.label), Math.min(80, each / 2)))}*`;
        const value = truncate(
          escapeMrkdwn(oneLine(item.value) || '—'),
          Math.max(10, each - label.length - 1),
        );
        return mrkdwn(truncate(`${label}\n${value}`, L.sectionFieldText), { verbatim: true });
      }),
    });
  }
  const more = ticket.capture.length - (blocks.length > 1 ? items.length : 0);
  if (more > 0) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(`${more} more ${more === 1 ? 'item is' : 'items are'} in the ticket.`)],
    });
  }
  return blocks;
}
