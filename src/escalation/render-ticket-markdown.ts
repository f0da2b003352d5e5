import type { StepOutcome } from '../machine/derive-path.ts';
import { escapeMarkdown as md } from './escape-markdown.ts';
import type { Ticket } from './ticket.ts';

const OUTCOME_TEXT: Record<StepOutcome, string> = {
  worked: '✓ worked',
  did_not_work: '✗ did not work',
  skipped: '⤼ skipped',
};

/**
 * The ticket as Markdown (GitHub-flavoured, also readable as plain text). Guide text is trusted;
 * everything a user typed is escaped.
 */
export function renderTicketMarkdown(ticket: Omit<Ticket, 'markdown'>): string {
  const lines: string[] = [];
  const reporter = ticket.reporter.name
    ? `${md(ticket.reporter.name)} (${md(ticket.reporter.id)})`
    : md(ticket.reporter.id);
  const reviewed = ticket.guide.reviewedBy ? `, reviewed by ${ticket.guide.reviewedBy}` : '';
  lines.push(`## ${md(ticket.title)}`, '');
  lines.push(
    `**Guide:** ${ticket.guide.title} (\`${ticket.guide.id}\` v${md(ticket.guide.version)}, content \`${ticket.guide.hash}\`, owner ${ticket.guide.owner}${reviewed})  `,
    `**For:** ${ticket.team} · **Severity:** ${ticket.severity} · **Reported by:** ${reporter}  `,
    `**Conversation:** \`${ticket.conversationId}\` · **Escalation** #${ticket.escalationNumber} · ${ticket.createdAt}  `,
    `**How it got here:** ${ticket.reason === 'help_now' ? 'the user asked for help ("I need help now")' : 'the guide ran out of fixes'}`,
    '',
    `> **${ticket.headline}.** ${ticket.message}`,
    '',
  );
  const reached = ticket.ladder.reached;
  lines.push(
    `**Escalation ladder reached:** ${reached ? `${reached.title} (layer ${reached.index} of ${reached.count})` : 'none of the layers'}`,
    '',
  );

  lines.push('### What to capture', '');
  if (ticket.captureIntro) lines.push(`_${ticket.captureIntro}_`, '');
  lines.push('| Item | Value |', '| --- | --- |');
  for (const item of ticket.capture) {
    const value =
      item.fields.length > 1
        ? item.fields.map((f) => `${f.label}: ${md(f.value)}`).join('<br>')
        : md(item.value);
    lines.push(`| ${md(item.label)} | ${value} |`);
  }
  lines.push('');

  lines.push('### Steps already tried', '');
  if (ticket.stepsTried.length === 0) lines.push("None of the guide's fixes were tried.");
  ticket.stepsTried.forEach((step, i) => {
    lines.push(
      `${i + 1}. ${step.title}: ${OUTCOME_TEXT[step.outcome]} (${md(step.by.name ?? step.by.id)}, ${when(step.at)})`,
    );
  });
  lines.push('');

  lines.push('### Path taken', '');
  if (ticket.path.length === 0) lines.push('No answers were given.');
  ticket.path.forEach((entry, i) => {
    lines.push(`${i + 1}. **${entry.title}** → ${md(entry.answer)}`);
  });
  lines.push('');

  lines.push('### Escalation ladder', '');
  if (ticket.ladder.intro) lines.push(`_${ticket.ladder.intro}_`, '');
  ticket.ladder.layers.forEach((layer, i) => {
    lines.push(`${i + 1}. ${layer.visited ? '☑' : '☐'} **${layer.title}**: ${layer.description}`);
  });
  return `${lines.join('\n')}\n`;
}

/** `2026-03-02T09:05:07.123Z` as `2026-03-02 09:05 UTC`. */
function when(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : iso;
}
