import type { types } from '@slack/bolt';
import type { StepView, ViewBlock, ViewChoice } from '../../runtime/step-view.ts';
import { blockIdFor, choiceActionId, eventValue } from './action-ids.ts';
import { countBlockText, mrkdwn, oneLine, plain, shrinkToFit, splitText } from './block-kit-text.ts';
import { escapeMrkdwn, guideMrkdwn } from './escape-mrkdwn.ts';
import { SLACK_LIMITS as L, truncate } from './limits.ts';
import { renderFormSummary } from './render-form-summary.ts';
import { renderHistory } from './render-history.ts';
import { renderNavigation } from './render-navigation.ts';
import { renderTicketSummary } from './render-ticket-summary.ts';

export interface SlackMessage {
  /** The notification and accessibility fallback; Slack shows it where blocks cannot be. */
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * fixpath's shares of Slack's limits. Everything around the step's own text is capped here, and the step's
 * text gets the rest of the 12,000 characters and 50 blocks, so a long guide step is cut last.
 */
const BUDGET = {
  notice: 500,
  history: 700,
  faqAnswer: 2500,
  form: 1500,
  ticket: 1500,
  descriptions: 1200,
  faqOptions: 2000,
  fallback: 500,
  /** Kept free for the "did not fit" line and rounding. */
  spare: 200,
} as const;

const NOTICE_ICON = { info: ':information_source:', warning: ':warning:', error: ':x:' } as const;
const SHORTENED = '_This step is longer than a Slack message can hold, so it was shortened here._';

/**
 * The current step as ONE Slack message (updated in place with chat.update): a notice, the answered steps
 * collapsed into one line, the step's title, progress and ladder layer, its text, then the question and
 * its buttons, and the row of global actions. Pure, and within Slack's limits for any view.
 */
export function renderStepMessage(view: StepView): SlackMessage {
  const top: types.KnownBlock[] = [];
  if (view.notice) {
    const text = `${NOTICE_ICON[view.notice.kind]} ${truncate(escapeMrkdwn(oneLine(view.notice.text)), BUDGET.notice)}`;
    top.push({ type: 'section', text: mrkdwn(text, { verbatim: true }) });
  }
  const history = renderHistory(view.history, BUDGET.history);
  if (history) top.push(history);
  top.push({ type: 'header', text: plain(view.title || view.flow?.title || 'fixpath', L.headerText) });
  const meta = metaLine(view);
  if (meta) top.push({ type: 'context', elements: [mrkdwn(meta)] });

  const bottom = [...extras(view), ...question(view), ...closing(view)];
  const used = countBlockText([...top, ...bottom]);
  const body = renderBody(
    view.blocks,
    L.totalText - used - BUDGET.spare,
    L.messageBlocks - top.length - bottom.length,
  );
  const blocks = shrinkToFit([...top, ...body, ...bottom], L.totalText).map(
    (block, n) => ({ ...block, block_id: blockIdFor(view, n) }) as types.KnownBlock,
  );
  return { text: fallbackText(view), blocks };
}

/** "Fix a session that expires fast: Is the server session timeout too low?" */
function fallbackText(view: StepView): string {
  const title = oneLine(view.title) || 'fixpath';
  const text =
    view.flow && oneLine(view.flow.title) !== title ? `${oneLine(view.flow.title)}: ${title}` : title;
  return truncate(escapeMrkdwn(text), BUDGET.fallback);
}

/** Guide, progress and ladder layer: "Fix a CORS error  ·  Step 4 of 6  ·  Layer 2 of 5: Preflight request". */
function metaLine(view: StepView): string | undefined {
  const parts: string[] = [];
  if (view.flow) parts.push(`*${guideMrkdwn(truncate(oneLine(view.flow.title), 150))}*`);
  if (view.status === 'active' && view.progress) {
    parts.push(
      `Step ${view.progress.answered + 1} of ${Math.max(view.progress.total, view.progress.answered) + 1}`,
    );
  }
  if (view.status === 'resolved') parts.push('✓ Resolved');
  if (view.status === 'escalated') parts.push(':ticket: Escalated');
  if (view.layer) {
    const layer = guideMrkdwn(truncate(oneLine(view.layer.title), 100));
    parts.push(`Layer ${view.layer.index} of ${view.layer.count}: ${layer}`);
  }
  return parts.length > 0 ? parts.join('  ·  ') : undefined;
}

/** The step's own text: a section per block, long ones split, all of it cut to the room left. */
function renderBody(blocks: readonly ViewBlock[], maxText: number, maxBlocks: number): types.KnownBlock[] {
  const pieces = blocks.flatMap((b) => splitText(blockMrkdwn(b), L.sectionText));
  const room = maxText - SHORTENED.length;
  const kept: string[] = [];
  let used = 0;
  let cut = false;
  for (const piece of pieces) {
    if (used + piece.length > room) {
      if (room - used >= 80) kept.push(truncate(piece, room - used));
      cut = true;
      break;
    }
    kept.push(piece);
    used += piece.length;
  }
  let sections = kept;
  const slots = maxBlocks - (cut ? 1 : 0);
  if (sections.length > slots) sections = pack(sections, L.sectionText);
  if (sections.length > slots) {
    sections = sections.slice(0, Math.max(0, slots - (cut ? 0 : 1)));
    cut = true;
  }
  const out: types.KnownBlock[] = sections.map((text) => ({ type: 'section', text: mrkdwn(text) }));
  if (cut) out.push({ type: 'context', elements: [mrkdwn(SHORTENED)] });
  return out;
}

/** Joins neighbouring pieces into sections of at most `max` characters. */
function pack(pieces: string[], max: number): string[] {
  const packed: string[] = [];
  for (const piece of pieces) {
    const last = packed[packed.length - 1];
    if (last !== undefined && last.length + 2 + piece.length <= max)
      packed[packed.length - 1] = `${last}\n\n${piece}`;
    else packed.push(piece);
  }
  return packed;
}

function blockMrkdwn(block: ViewBlock): string {
  switch (block.kind) {
    case 'text':
      return guideMrkdwn(block.text);
    case 'labelled':
      return `*${guideMrkdwn(oneLine(block.label))}:* ${guideMrkdwn(block.text)}`;
    case 'list': {
      const heading = block.heading ? [`*${guideMrkdwn(oneLine(block.heading))}*`] : [];
      const items = block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${guideMrkdwn(item)}`);
      return [...heading, ...items].join('\n');
    }
    case 'checklist':
      return block.items.map((item) => `☐ ${guideMrkdwn(item)}`).join('\n');
  }
}

/** What sits between the step's text and its question: an FAQ answer, a form, a filed ticket. */
function extras(view: StepView): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [];
  if (view.faqAnswer) {
    const question = `:bulb: *${guideMrkdwn(oneLine(view.faqAnswer.question))}*`;
    const answer = guideMrkdwn(view.faqAnswer.answer)
      .split('\n')
      .map((line) => `>${line}`)
      .join('\n');
    blocks.push({ type: 'section', text: mrkdwn(truncate(`${question}\n${answer}`, BUDGET.faqAnswer)) });
  }
  if (view.form) blocks.push(...renderFormSummary(view.form, view.title, BUDGET.form));
  if (view.ticket) {
    const { team } = view.ticket;
    const named = view.blocks.some((b) => b.kind === 'labelled' && oneLine(b.text) === oneLine(team));
    blocks.push(...renderTicketSummary(view.ticket, BUDGET.ticket, { team: !named }));
  }
  return blocks;
}

/** The question and its buttons: the prompt, the choices' descriptions, then the choice buttons. */
function question(view: StepView): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [];
  const asking = view.feedback?.given === null ? view.feedback.question : view.prompt;
  const lines = asking ? [`*${guideMrkdwn(oneLine(asking))}*`] : [];
  const described = view.choices.filter((c) => c.description);
  if (described.length > 0) {
    const each = Math.max(60, Math.floor(BUDGET.descriptions / described.length));
    for (const choice of described) {
      const line = `• *${guideMrkdwn(oneLine(choice.label))}*: ${guideMrkdwn(oneLine(choice.description ?? ''))}`;
      lines.push(truncate(line, each));
    }
  }
  if (lines.length > 0) {
    blocks.push({ type: 'section', text: mrkdwn(truncate(lines.join('\n'), BUDGET.descriptions + 300)) });
  }
  // A guide allows 25 choices, what one actions block holds.
  const choices = view.choices.slice(0, L.actionsElements);
  if (choices.length > 0) blocks.push({ type: 'actions', elements: choices.map(choiceButton) });
  return blocks;
}

function choiceButton(choice: ViewChoice, index: number): types.Button {
  const button: types.Button = {
    type: 'button',
    text: plain(choice.label, L.buttonText),
    action_id: choiceActionId(index),
    value: eventValue(choice.event),
  };
  if (choice.style !== 'default') button.style = choice.style;
  return button;
}

/** The note under the buttons, the thanks for feedback, then the global actions. */
function closing(view: StepView): types.KnownBlock[] {
  const blocks: types.KnownBlock[] = [];
  const notes: string[] = [];
  if (view.note) notes.push(guideMrkdwn(truncate(oneLine(view.note), 500)));
  if (view.feedback && view.feedback.given !== null) {
    notes.push(
      `${view.feedback.given ? ':+1:' : ':pray:'} ${guideMrkdwn(truncate(oneLine(view.feedback.thanks), 500))}`,
    );
  }
  if (notes.length > 0) blocks.push({ type: 'context', elements: notes.map((n) => mrkdwn(n)) });
  const navigation = renderNavigation(view, BUDGET.faqOptions);
  if (navigation) blocks.push({ type: 'divider' }, navigation);
  return blocks;
}
