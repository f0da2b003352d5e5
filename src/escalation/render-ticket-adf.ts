import type { StepOutcome } from '../machine/derive-path.ts';
import type { Ticket } from './ticket.ts';

/** An Atlassian Document Format node: what Jira Cloud's REST API v3 takes for rich text. */
export interface AdfNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: AdfNode[];
  text?: string;
  marks?: Array<{ type: string; attrs?: Record<string, unknown> }>;
}

export interface AdfDocument {
  version: 1;
  type: 'doc';
  content: AdfNode[];
}

/**
 * Jira refuses a description over 32,767 characters (of its stored JSON); keep a margin for the
 * fields Jira adds to what we send.
 */
export const ADF_MAX_CHARS = 32_000;

const OUTCOME_TEXT: Record<StepOutcome, string> = {
  worked: '✓ worked',
  did_not_work: '✗ did not work',
  skipped: '⤼ skipped',
};

/** How much of a long ticket is kept, from everything down to the essentials. */
const DETAIL = [
  { valueChars: 2_000, pathEntries: 200, stepsTried: 100, ladder: true },
  { valueChars: 500, pathEntries: 30, stepsTried: 30, ladder: true },
  { valueChars: 120, pathEntries: 10, stepsTried: 10, ladder: false },
  { valueChars: 60, pathEntries: 0, stepsTried: 5, ladder: false },
] as const;
type Detail = (typeof DETAIL)[number];

/**
 * The ticket as an ADF document, in the order of the Markdown ticket: who and what, the escalate
 * step's message in a panel, the capture table, the steps tried, the path taken and the ladder.
 * ADF text is never parsed as markup, so what a user typed needs no escaping; it was redacted when
 * the ticket was built. A ticket too long for Jira keeps less detail, newest path entries first,
 * until it fits. `footer` (e.g. the idempotency key) ends the document. Pure.
 */
export function renderTicketAdf(ticket: Ticket, options: { footer?: string } = {}): AdfDocument {
  let doc: AdfDocument = draw(ticket, DETAIL[0], options.footer);
  for (const detail of DETAIL.slice(1)) {
    if (JSON.stringify(doc).length <= ADF_MAX_CHARS) break;
    doc = draw(ticket, detail, options.footer);
  }
  return doc;
}

function draw(ticket: Ticket, detail: Detail, footer: string | undefined): AdfDocument {
  const cut = (value: string) => truncate(value, detail.valueChars);
  const { guide, reporter } = ticket;
  const reviewed = guide.reviewedBy ? `, reviewed by ${guide.reviewedBy}` : '';
  const content: AdfNode[] = [
    paragraph(
      strong('Guide: '),
      text(`${guide.title} (`),
      code(guide.id),
      text(` v${guide.version}, content `),
      code(guide.hash),
      text(`, owner ${guide.owner}${reviewed})`),
    ),
    paragraph(
      strong('For: '),
      text(`${ticket.team} · `),
      strong('Severity: '),
      text(`${ticket.severity} · `),
      strong('Reported by: '),
      text(reporter.name ? `${cut(reporter.name)} (${reporter.id})` : reporter.id),
    ),
    paragraph(
      strong('Conversation: '),
      code(ticket.conversationId),
      text(` · Escalation #${ticket.escalationNumber} · ${ticket.createdAt}`),
    ),
    paragraph(
      strong('How it got here: '),
      text(
        ticket.reason === 'help_now'
          ? 'the user asked for help ("I need help now")'
          : 'the guide ran out of fixes',
      ),
    ),
    {
      type: 'panel',
      attrs: { panelType: 'warning' },
      content: [paragraph(strong(`${ticket.headline}. `), text(ticket.message))],
    },
    paragraph(strong('Escalation ladder reached: '), text(reachedText(ticket))),
    heading('What to capture'),
  ];
  if (ticket.captureIntro) content.push(paragraph(em(ticket.captureIntro)));
  content.push({
    type: 'table',
    attrs: { isNumberColumnEnabled: false, layout: 'default' },
    content: [
      row('tableHeader', [[strong('Item')], [strong('Value')]]),
      ...ticket.capture.map((item) =>
        row('tableCell', [
          [text(item.label)],
          item.fields.length > 1
            ? item.fields.flatMap((f, i) => [
                ...(i > 0 ? [{ type: 'hardBreak' }] : []),
                strong(`${f.label}: `),
                text(cut(f.value) || '—'),
              ])
            : [text(cut(item.value) || '—')],
        ]),
      ),
    ],
  });

  content.push(heading('Steps already tried'));
  const steps = ticket.stepsTried.slice(-detail.stepsTried);
  if (ticket.stepsTried.length === 0) content.push(paragraph(text("None of the guide's fixes were tried.")));
  else {
    if (steps.length < ticket.stepsTried.length)
      content.push(omitted(ticket.stepsTried.length - steps.length));
    content.push(
      list(
        steps.map((step) => [
          text(
            `${step.title}: ${OUTCOME_TEXT[step.outcome]} (${cut(step.by.name ?? step.by.id)}, ${step.at})`,
          ),
        ]),
      ),
    );
  }

  if (detail.pathEntries > 0) {
    content.push(heading('Path taken'));
    const path = ticket.path.slice(-detail.pathEntries);
    if (ticket.path.length === 0) content.push(paragraph(text('No answers were given.')));
    else {
      if (path.length < ticket.path.length) content.push(omitted(ticket.path.length - path.length));
      content.push(list(path.map((entry) => [strong(entry.title), text(` → ${cut(entry.answer) || '—'}`)])));
    }
  }

  if (detail.ladder) {
    content.push(heading('Escalation ladder'));
    if (ticket.ladder.intro) content.push(paragraph(em(ticket.ladder.intro)));
    content.push(
      list(
        ticket.ladder.layers.map((layer) => [
          text(`${layer.visited ? '☑' : '☐'} `),
          strong(layer.title),
          text(`: ${layer.description}`),
        ]),
      ),
    );
  }
  if (footer) content.push({ type: 'rule' }, paragraph(em(footer)));
  return { version: 1, type: 'doc', content };
}

function reachedText(ticket: Ticket): string {
  const reached = ticket.ladder.reached;
  return reached ? `${reached.title} (layer ${reached.index} of ${reached.count})` : 'none of the layers';
}

/** A text node, or nothing for empty text: ADF refuses empty text nodes. */
function text(value: string, marks?: AdfNode['marks']): AdfNode {
  return marks ? { type: 'text', text: value, marks } : { type: 'text', text: value };
}

const strong = (value: string) => text(value, [{ type: 'strong' }]);
const em = (value: string) => text(value, [{ type: 'em' }]);
const code = (value: string) => text(value, [{ type: 'code' }]);

function paragraph(...inline: AdfNode[]): AdfNode {
  return { type: 'paragraph', content: inline.filter((node) => node.type !== 'text' || node.text !== '') };
}

function heading(title: string): AdfNode {
  return { type: 'heading', attrs: { level: 3 }, content: [text(title)] };
}

function list(items: AdfNode[][]): AdfNode {
  return {
    type: 'orderedList',
    attrs: { order: 1 },
    content: items.map((inline) => ({ type: 'listItem', content: [paragraph(...inline)] })),
  };
}

function row(cell: 'tableHeader' | 'tableCell', cells: AdfNode[][]): AdfNode {
  return {
    type: 'tableRow',
    content: cells.map((inline) => ({ type: cell, attrs: {}, content: [paragraph(...inline)] })),
  };
}

function omitted(count: number): AdfNode {
  return paragraph(em(`${count} earlier ${count === 1 ? 'entry is' : 'entries are'} not shown.`));
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1).trimEnd()}…` : value;
}
