import type { types } from '@slack/bolt';
import type { Ticket } from '../../escalation/ticket.ts';
import type { StepOutcome } from '../../machine/derive-path.ts';
import type { Actor } from '../../machine/flow-context.ts';
import { mrkdwn, oneLine, plain, shrinkToFit } from './block-kit-text.ts';
import { escapeMrkdwn, guideMrkdwn } from './escape-mrkdwn.ts';
import { SLACK_LIMITS as L, truncate } from './limits.ts';
import type { SlackMessage } from './render-step-message.ts';
import { SEVERITY } from './render-ticket-summary.ts';

/** Shares of the 12,000 characters, so a ticket with a long capture or path still fits. */
const BUDGET = {
  headline: 1500,
  capture: 4000,
  captureItems: L.sectionFields * 4,
  steps: 1500,
  path: 1500,
  ladder: 800,
  footer: 500,
  link: 1000,
} as const;

const OUTCOME: Record<StepOutcome, string> = {
  worked: '✓ worked',
  did_not_work: '✗ did not work',
  skipped: '⤼ skipped',
};
const SLACK_USER = /^[UW][A-Z0-9]{2,20}$/;
const SAFE_URL = /^https:\/\/[^\s<>|]+$/;

/**
 * The escalation ticket as a Slack message, for the conversation's thread or a support channel: the title,
 * who it is for and how urgent, the escalate step's message, the capture table as section fields, the
 * steps tried with their outcomes, the path taken (collapsed), the ladder layer reached and a link back.
 * Guide text is formatted; everything a user typed is escaped.
 */
export function renderTicketMessage(ticket: Ticket, options: { threadLink?: string } = {}): SlackMessage {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain(`:ticket: ${ticket.title}`, L.headerText) },
    { type: 'context', elements: [mrkdwn(whoLine(ticket), { verbatim: true })] },
    { type: 'section', text: mrkdwn(headline(ticket)) },
    ...capture(ticket),
    { type: 'section', text: mrkdwn(stepsTried(ticket), { verbatim: true }) },
  ];
  if (ticket.path.length > 0) {
    blocks.push({ type: 'context', elements: [mrkdwn(pathLine(ticket), { verbatim: true })] });
  }
  blocks.push({ type: 'context', elements: [mrkdwn(ladderLine(ticket))] });
  blocks.push({ type: 'context', elements: [mrkdwn(footer(ticket))] });
  const link = options.threadLink;
  if (link && SAFE_URL.test(link) && link.length <= BUDGET.link) {
    blocks.push({
      type: 'section',
      text: mrkdwn(`:speech_balloon: <${escapeMrkdwn(link)}|Open the conversation>`),
    });
  }
  const text = `Ticket for ${oneLine(ticket.team)}: ${oneLine(ticket.title)}`;
  return { text: truncate(escapeMrkdwn(text), 500), blocks: shrinkToFit(blocks, L.totalText) };
}

/** "🔵 Normal severity · for the API team · reported by Ada Lovelace (@Ada) · <date>". */
function whoLine(ticket: Ticket): string {
  const parts = [
    `${SEVERITY[ticket.severity]} severity`,
    `for *${guideMrkdwn(truncate(oneLine(ticket.team), 100))}*`,
    `reported by ${who(ticket.reporter)}`,
    when(ticket.createdAt),
  ];
  if (ticket.escalationNumber > 1) parts.push(`escalation #${ticket.escalationNumber}`);
  return parts.join('  ·  ');
}

function headline(ticket: Ticket): string {
  const how =
    ticket.reason === 'help_now'
      ? 'The user asked for help ("I need help now").'
      : 'The guide ran out of fixes.';
  const text = `*${guideMrkdwn(oneLine(ticket.headline))}*\n${guideMrkdwn(ticket.message)}`;
  return `${truncate(text, BUDGET.headline - how.length - 3)}\n_${how}_`;
}

/** The "what to capture" table: a heading, then the items as section fields, ten per section. */
function capture(ticket: Ticket): types.KnownBlock[] {
  const heading = ['*What was captured*'];
  if (ticket.captureIntro) heading.push(guideMrkdwn(truncate(oneLine(ticket.captureIntro), 500)));
  const blocks: types.KnownBlock[] = [{ type: 'section', text: mrkdwn(heading.join('\n')) }];
  // Items without fields are filled in by the engine (the steps tried), which has its own section below.
  const asked = ticket.capture.filter((item) => item.fields.length > 0);
  const items = asked.slice(0, BUDGET.captureItems);
  const each = Math.min(
    L.sectionFieldText,
    Math.max(60, Math.floor(BUDGET.capture / Math.max(1, items.length))),
  );
  for (let i = 0; i < items.length; i += L.sectionFields) {
    const fields = items.slice(i, i + L.sectionFields).map((item) => {
      const label = `*${guideMrkdwn(truncate(oneLine(item.label), Math.floor(each / 3)))}*`;
      const value =
        item.fields.length > 1
          ? item.fields
              .map((f) => `${guideMrkdwn(oneLine(f.label))}: ${escapeMrkdwn(oneLine(f.value))}`)
              .join('\n')
          : escapeMrkdwn(oneLine(item.value)) || '—';
      return mrkdwn(truncate(`${label}\n${value}`, each), { verbatim: true });
    });
    blocks.push({ type: 'section', fields });
  }
  const more = asked.length - items.length;
  if (more > 0)
    blocks.push({ type: 'context', elements: [mrkdwn(`${more} more items are in the full ticket.`)] });
  return blocks;
}

function stepsTried(ticket: Ticket): string {
  if (ticket.stepsTried.length === 0) return "*Steps already tried*\nNone of the guide's fixes were tried.";
  const lines = ticket.stepsTried.map(
    (step, i) =>
      `${i + 1}. ${guideMrkdwn(truncate(oneLine(step.title), 150))}: ${OUTCOME[step.outcome]} (${escapeMrkdwn(
        truncate(oneLine(step.by.name ?? step.by.id), 60),
      )}, ${when(step.at)})`,
  );
  return truncate(['*Steps already tried*', ...lines].join('\n'), BUDGET.steps);
}

/** Every answer in one line; when too long the newest are kept, after a count of the earlier ones. */
function pathLine(ticket: Ticket): string {
  const entries = ticket.path.map(
    (entry, i) =>
      `${i + 1}. ${guideMrkdwn(truncate(oneLine(entry.title), 80))} → ${truncate(escapeMrkdwn(oneLine(entry.answer)), 150)}`,
  );
  const heading = `*Path taken* (${entries.length} ${entries.length === 1 ? 'answer' : 'answers'}):`;
  const kept: string[] = [];
  let used = heading.length + 20;
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i] ?? '';
    if (used + entry.length + 3 > BUDGET.path) break;
    kept.unshift(entry);
    used += entry.length + 3;
  }
  const skipped = entries.length - kept.length;
  return `${heading} ${[...(skipped > 0 ? [`… ${skipped} earlier`] : []), ...kept].join('  ·  ')}`;
}

function ladderLine(ticket: Ticket): string {
  const reached = ticket.ladder.reached;
  const head = reached
    ? `*Escalation ladder reached:* ${guideMrkdwn(oneLine(reached.title))} (layer ${reached.index} of ${reached.count})`
    : '*Escalation ladder reached:* none of the layers';
  const layers = ticket.ladder.layers.map((l) => `${l.visited ? '☑' : '☐'} ${guideMrkdwn(oneLine(l.title))}`);
  return truncate([head, layers.join('  ')].filter(Boolean).join('\n'), BUDGET.ladder);
}

function footer(ticket: Ticket): string {
  const { guide } = ticket;
  const reviewed = guide.reviewedBy ? `, reviewed by ${guideMrkdwn(oneLine(guide.reviewedBy))}` : '';
  const text =
    `Guide: ${guideMrkdwn(oneLine(guide.title))} (\`${escapeMrkdwn(guide.id)}\` v${escapeMrkdwn(guide.version)}, ` +
    `owner ${guideMrkdwn(oneLine(guide.owner))}${reviewed})  ·  conversation \`${escapeMrkdwn(ticket.conversationId)}\``;
  return truncate(text, BUDGET.footer);
}

/** A Slack user is mentioned by id (so the team can reach them); anyone else is named, escaped. */
function who(actor: Actor): string {
  return SLACK_USER.test(actor.id)
    ? `<@${actor.id}>`
    : escapeMrkdwn(truncate(oneLine(actor.name ?? actor.id), 60));
}

/** A time every reader sees in their own time zone, with the UTC text as the fallback. */
function when(iso: string): string {
  const ms = Date.parse(iso);
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  const fallback = match ? `${match[1]} ${match[2]} UTC` : escapeMrkdwn(truncate(iso, 40));
  return Number.isNaN(ms)
    ? fallback
    : `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${fallback}>`;
}
