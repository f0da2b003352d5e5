// The escalation ticket as filed, shown under the two surfaces once a conversation escalates: who it
// is for, the facts, what was captured, the steps tried and the Markdown the sinks receive. Everything
// is set as text.

import { h, icon, replace } from './dom.js';

const TICKET_ICON = [
  'M3 8a2 2 0 0 0 2-2h14a2 2 0 0 0 2 2v2a2 2 0 0 0 0 4v2a2 2 0 0 0-2 2H5a2 2 0 0 0-2-2v-2a2 2 0 0 0 0-4z',
  'M9 6v12',
];
const SEVERITY = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };
const OUTCOME_MARK = { worked: '✓', did_not_work: '✗', skipped: '⤼' };

/** Draws `ticket` into `box`, or hides the box when there is none. */
export function renderTicket(box, ticket) {
  box.hidden = !ticket;
  if (!ticket) {
    replace(box);
    return;
  }
  const facts = [
    ['For', ticket.team],
    ['Severity', SEVERITY[ticket.severity] ?? ticket.severity],
    ['Reported by', ticket.reporter.name ?? ticket.reporter.id],
    [
      'How it got here',
      ticket.reason === 'help_now' ? 'The user asked for help now' : 'The guide ran out of fixes',
    ],
    [
      'Ladder reached',
      ticket.ladder.reached
        ? `${ticket.ladder.reached.title} (layer ${ticket.ladder.reached.index} of ${ticket.ladder.reached.count})`
        : 'None of the layers',
    ],
    ['Filed', new Date(ticket.createdAt).toLocaleString()],
  ];
  const copy = h('button', {
    type: 'button',
    class: 'btn btn-small',
    text: 'Copy Markdown',
    on: {
      click: async () => {
        await navigator.clipboard?.writeText(ticket.markdown).catch(() => undefined);
        copy.textContent = 'Copied';
      },
    },
  });
  replace(
    box,
    h(
      'header',
      { class: 'ticket-head' },
      icon(TICKET_ICON, 'ticket-icon'),
      h(
        'div',
        {},
        h('div', { class: 'ticket-kicker' }, `Escalation ticket #${ticket.escalationNumber}`),
        h('h2', { class: 'ticket-title' }, ticket.title),
      ),
    ),
    h('p', { class: 'ticket-message' }, h('strong', {}, ticket.headline), ' ', ticket.message),
    h(
      'dl',
      { class: 'ticket-facts' },
      facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)]),
    ),
    ticket.capture.length > 0
      ? h(
          'table',
          { class: 'ticket-capture' },
          h('caption', {}, 'What was captured'),
          h(
            'tbody',
            {},
            ticket.capture.map((item) =>
              h('tr', {}, h('th', { scope: 'row' }, item.label), h('td', {}, item.value || '—')),
            ),
          ),
        )
      : null,
    ticket.stepsTried.length > 0
      ? h(
          'div',
          { class: 'ticket-tried' },
          h('h3', {}, 'Steps already tried'),
          h(
            'ol',
            {},
            ticket.stepsTried.map((s) => h('li', {}, `${OUTCOME_MARK[s.outcome] ?? ''} ${s.title}`)),
          ),
        )
      : null,
    h(
      'details',
      { class: 'ticket-markdown' },
      h('summary', {}, 'The ticket as filed (Markdown)', copy),
      h('pre', {}, ticket.markdown),
    ),
  );
}
