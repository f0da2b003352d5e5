/**
 * The neutral step view as an Adaptive Card for Microsoft Teams. Pure: no I/O, no botbuilder.
 *
 * Design:
 * - One card per step, replaced in place as the user answers. Every button is an `Action.Execute`
 *   (Universal Actions: Teams sends an `adaptiveCard/action` invoke and the bot answers with the
 *   refreshed card, which Teams swaps in for everyone) with an `Action.Submit` `fallback` carrying the
 *   same data, for clients without Universal Actions (that click arrives as a `message` activity with
 *   `value`, and the bot replaces the card with `updateActivity`). Each action's data is
 *   `{ fixpath: { c: conversationId, v: revision, f?: flowId, e: ConversationEvent } }`; form inputs,
 *   named `field:<id>`, are merged in beside it by Teams. `readCardAction` reads both back.
 * - Version 1.5, the highest Teams renders, with a `fallbackText`. The good and bad outcome buttons
 *   are styled `positive` and `destructive` (valid 1.5; Teams draws them plainly), so nothing relies
 *   on the styles to be understood.
 * - Only a form's own submit gathers inputs (and so runs their validation); every other button sends
 *   `associatedInputs: none`, so Back or "I need help now" work with a required field still empty.
 * - Choices sit in the body right under the question, several ActionSets of one button each when they
 *   are many or long (Teams shows at most six side by side and truncates long titles). Back, "I need
 *   help now", the FAQ and an optional record form are the card's own actions; "Start over" goes to
 *   the overflow menu while the guide is running.
 * - FAQ: an `Action.ShowCard` "Common questions" opening one button per question, each sending the
 *   `faq` event; the answer comes back on the refreshed card. Not a dropdown with a "Show answer"
 *   button: that button would have to gather the dropdown, and gathering validates every required
 *   input on the card, so the FAQ would be locked behind a half-filled form, which is exactly when
 *   people look for it. The view carries only the questions, so answers cannot be inlined either.
 * - Everything a user typed is escaped before it reaches a TextBlock or fact (see `userText`); guide
 *   text keeps its Markdown. Cards stay under the 28 KB budget by shortening history, text and help
 *   step by step (`fitCard`).
 */
import type { ConversationEvent } from '../../runtime/conversation-event.ts';
import type { HistoryItem, StepView, ViewChoice, ViewForm } from '../../runtime/step-view.ts';
import { type CardActionOptions, cardAction } from './card-action.ts';
import { type CardDetail, fitCard, oneLine, TEAMS_CARD_LIMITS, truncate } from './card-limits.ts';
import { guideText, userText } from './card-text.ts';
import { renderFormInputs } from './render-form-inputs.ts';
import { OUTCOME_MARK, renderTicketSummary } from './render-ticket-summary.ts';
import { renderViewBlock } from './render-view-block.ts';

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  version: '1.5';
  body: object[];
  actions?: object[];
  fallbackText: string;
  [key: string]: unknown;
}

type Act = (title: string, event: ConversationEvent, options?: CardActionOptions) => object;

const CHOICE_STYLE: Record<ViewChoice['style'], CardActionOptions['style']> = {
  primary: 'positive',
  danger: 'destructive',
  default: undefined,
};
const NOTICE_STYLE = { info: 'accent', warning: 'warning', error: 'attention' } as const;
/** Choices this short and few fit side by side; others get a full-width button each. */
const ROW_CHOICES = 3;
const ROW_LABEL_CHARS = 24;

export function renderStepCard(view: StepView): AdaptiveCard {
  return fitCard((detail) => drawStepCard(view, detail));
}

function drawStepCard(view: StepView, detail: CardDetail): AdaptiveCard {
  const act: Act = (title, event, options) =>
    cardAction(
      title,
      { c: view.conversationId ?? '', v: view.revision, ...(view.flow ? { f: view.flow.id } : {}), e: event },
      options,
    );
  const body: object[] = [];

  const history = historyLine(view.history, detail);
  if (history) body.push({ type: 'TextBlock', text: history, isSubtle: true, size: 'small', wrap: true });
  body.push({
    type: 'TextBlock',
    text: view.title,
    weight: 'bolder',
    size: 'large',
    wrap: true,
    style: 'heading',
    ...(history ? { separator: true, spacing: 'medium' } : {}),
  });
  const meta = metaLine(view);
  if (meta)
    body.push({ type: 'TextBlock', text: meta, isSubtle: true, size: 'small', wrap: true, spacing: 'none' });

  if (view.notice) {
    body.push({
      type: 'Container',
      style: NOTICE_STYLE[view.notice.kind],
      items: [{ type: 'TextBlock', text: truncate(view.notice.text, detail.textChars), wrap: true }],
    });
  }
  if (view.faqAnswer) {
    body.push({
      type: 'Container',
      style: 'emphasis',
      items: [
        { type: 'TextBlock', text: view.faqAnswer.question, weight: 'bolder', wrap: true },
        {
          type: 'TextBlock',
          text: guideText(truncate(view.faqAnswer.answer, detail.faqAnswerChars)),
          wrap: true,
          spacing: 'small',
        },
      ],
    });
  }

  for (const block of view.blocks) body.push(...renderViewBlock(block, detail));

  const described = view.choices.filter((c) => c.description);
  if (detail.descriptions && described.length > 0) {
    body.push({
      type: 'TextBlock',
      text: described.map((c) => `- **${c.label}**: ${oneLine(c.description ?? '')}`).join('\r'),
      wrap: true,
    });
  }

  // A record form is tucked into "Record what you found" unless it just came back with errors.
  const form = view.form;
  const inlineForm = form !== null && (!form.optional || Object.keys(form.errors).length > 0);
  if (form && inlineForm) body.push(...formSection(form, view.title, act, detail));

  const feedback = view.feedback;
  const prompt = view.prompt ?? (feedback?.given === null ? feedback.question : null);
  if (prompt) body.push({ type: 'TextBlock', text: prompt, weight: 'bolder', wrap: true, spacing: 'medium' });
  body.push(...choiceSets(view.choices, act, detail));
  if (feedback && feedback.given !== null) {
    body.push({ type: 'TextBlock', text: feedback.thanks, color: 'good', wrap: true, spacing: 'medium' });
  }
  if (view.note) body.push({ type: 'TextBlock', text: view.note, isSubtle: true, size: 'small', wrap: true });
  if (view.ticket) body.push(renderTicketSummary(view.ticket, detail));

  const actions = globalActions(view, act, detail, form && !inlineForm ? form : null);
  return {
    type: 'AdaptiveCard',
    version: TEAMS_CARD_LIMITS.version,
    body,
    ...(actions.length > 0 ? { actions } : {}),
    fallbackText: fallbackText(view, prompt),
  };
}

/**
 * Answered steps on one subtle line, newest kept when it is long: "2 earlier · ✓ Expires after a
 * fixed time · ✗ Raised the server timeout: still expires".
 */
function historyLine(items: readonly HistoryItem[], detail: CardDetail): string | null {
  if (items.length === 0 || detail.historyItems === 0) return null;
  const parts = items.map((item) => {
    const answer = truncate(oneLine(item.answer), detail.historyItemChars);
    return item.outcome
      ? `${OUTCOME_MARK[item.outcome]} ${item.title}: ${userText(answer)}`
      : `✓ ${userText(answer)}`;
  });
  const kept: string[] = [];
  let chars = 0;
  for (let i = parts.length - 1; i >= 0 && kept.length < detail.historyItems; i--) {
    const part = parts[i] ?? '';
    if (kept.length > 0 && chars + part.length > detail.historyChars) break;
    kept.unshift(part);
    chars += part.length + 3;
  }
  const hidden = items.length - kept.length;
  return `${hidden > 0 ? `${hidden} earlier · ` : ''}${kept.join(' · ')}`;
}

/** "Session expiry · Step 3 of 7 · Layer 2 of 4: App config", under the title. */
function metaLine(view: StepView): string | null {
  const parts: string[] = [];
  if (view.flow && view.flow.title !== view.title) parts.push(view.flow.title);
  if (view.status === 'active' && view.progress) {
    parts.push(`Step ${view.progress.answered + 1} of ${view.progress.total + 1}`);
  }
  if (view.status === 'resolved') parts.push('Resolved');
  if (view.status === 'escalated') parts.push('Escalated');
  if (view.layer) parts.push(`Layer ${view.layer.index} of ${view.layer.count}: ${view.layer.title}`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

function formSection(form: ViewForm, stepTitle: string, act: Act, detail: CardDetail): object[] {
  return [
    ...(form.title === stepTitle
      ? []
      : [{ type: 'TextBlock', text: form.title, weight: 'bolder', wrap: true, spacing: 'medium' }]),
    ...(form.intro ? [{ type: 'TextBlock', text: guideText(form.intro), isSubtle: true, wrap: true }] : []),
    ...renderFormInputs(form, detail),
    {
      type: 'ActionSet',
      spacing: 'medium',
      actions: [act(form.submitLabel, { type: 'submit', values: {} }, { inputs: 'auto', style: 'positive' })],
    },
  ];
}

function choiceSets(choices: readonly ViewChoice[], act: Act, detail: CardDetail): object[] {
  if (choices.length === 0) return [];
  const actions = choices.map((choice) => {
    const style = CHOICE_STYLE[choice.style];
    const tooltip = detail.descriptions ? choice.description : undefined;
    return act(choice.label, choice.event, { ...(style ? { style } : {}), ...(tooltip ? { tooltip } : {}) });
  });
  const row =
    choices.length <= Math.min(ROW_CHOICES, TEAMS_CARD_LIMITS.actionsPerSet) &&
    choices.every((c) => c.label.length <= ROW_LABEL_CHARS);
  if (row) return [{ type: 'ActionSet', actions }];
  return actions.map((action, i) => ({
    type: 'ActionSet',
    actions: [action],
    spacing: i === 0 ? 'default' : 'small',
  }));
}

/** The card's own buttons: the optional record form, Back, I need help now, the FAQ, Start over. */
function globalActions(view: StepView, act: Act, detail: CardDetail, recordForm: ViewForm | null): object[] {
  const actions: object[] = [];
  if (recordForm) {
    const submit = act(
      recordForm.submitLabel,
      { type: 'submit', values: {} },
      { inputs: 'auto', style: 'positive' },
    );
    actions.push({
      type: 'Action.ShowCard',
      title: recordForm.title,
      card: {
        type: 'AdaptiveCard',
        body: [
          ...(recordForm.intro
            ? [{ type: 'TextBlock', text: guideText(recordForm.intro), isSubtle: true, wrap: true }]
            : []),
          ...renderFormInputs(recordForm, detail),
        ],
        actions: [submit],
      },
    });
  }
  if (view.actions.includes('back')) actions.push(act('Back', { type: 'back' }));
  if (view.actions.includes('escalate')) actions.push(act('I need help now', { type: 'escalate' }));
  if (view.actions.includes('faq') && view.faq.length > 0) {
    actions.push({
      type: 'Action.ShowCard',
      title: 'Common questions',
      card: {
        type: 'AdaptiveCard',
        body: view.faq.map((q, i) => ({
          type: 'ActionSet',
          actions: [act(q.question, { type: 'faq', faq: q.id })],
          ...(i === 0 ? {} : { spacing: 'small' }),
        })),
      },
    });
  }
  if (view.actions.includes('restart')) {
    actions.push(
      act('Start over', { type: 'restart' }, view.status === 'active' ? { mode: 'secondary' } : {}),
    );
  }
  return actions;
}

/** Plain text for clients that cannot draw the card: the step, its question and its choices. */
function fallbackText(view: StepView, prompt: string | null): string {
  const parts = [view.title, prompt, view.choices.map((c) => c.label).join(' / ')].filter((p): p is string =>
    Boolean(p),
  );
  return truncate(parts.join(' · '), TEAMS_CARD_LIMITS.fallbackTextChars);
}
