import { redactSecrets } from '../escalation/redact-secrets.ts';
import { formatDuration } from '../flow/duration.ts';
import type { FieldDefinition, Step } from '../flow/flow-schema.ts';
import { stepTargets } from '../flow/step-targets.ts';
import type { CompiledFlow } from '../machine/compile-flow.ts';
import { pathTaken } from '../machine/derive-path.ts';
import { capturedValues, type FieldValue, isMove } from '../machine/flow-context.ts';
import { missingTicketFields } from '../machine/ticket-fields.ts';
import type { ConversationRecord } from './conversation-record.ts';
import { currentPosition } from './current-position.ts';
import type { GlobalAction, StepView, ViewBlock, ViewChoice, ViewField, ViewForm } from './step-view.ts';

export interface ViewExtras {
  /** Field errors from a refused form, with what was typed so the user need not type it again. */
  errors?: Record<string, string>;
  typed?: Record<string, unknown>;
  notice?: StepView['notice'];
}

const OUTCOME_STYLE = { good: 'primary', bad: 'danger', skip: 'default' } as const;

/** Draws the conversation's current step as a neutral view. Pure. */
export function buildView(
  flow: CompiledFlow,
  record: ConversationRecord,
  revision: number,
  extras: ViewExtras = {},
): StepView {
  const { definition } = flow;
  const { context } = record.snapshot;
  const { stepId, phase } = currentPosition(record.snapshot.value);
  const step = flow.steps.get(stepId);
  if (!step) throw new TypeError(`step ${stepId} is not in guide ${definition.id}`);
  const values = capturedValues(context.answers);
  const answered = context.answers.filter(isMove).length;
  const filed = step.type === 'escalate' && phase === 'filed';

  const actions: GlobalAction[] = [];
  if (answered > 0 && !filed) actions.push('back');
  if (answered > 0 || step.type === 'resolve' || filed) actions.push('restart');
  if (step.type !== 'escalate') actions.push('escalate');
  if (definition.faq.length > 0) actions.push('faq');

  const faqAnswer = context.faq === null ? undefined : definition.faq.find((f) => f.id === context.faq);
  const layerIndex =
    step.layer === undefined ? -1 : definition.ladder.layers.findIndex((l) => l.id === step.layer);
  const layer = definition.ladder.layers[layerIndex];

  const view: StepView = {
    conversationId: record.id,
    revision,
    status: record.status,
    flow: { id: definition.id, title: definition.title, version: definition.version, hash: flow.hash },
    step: { id: step.id, type: step.type, ...(phase ? { phase } : {}) },
    title: 'title' in step && step.title !== undefined ? step.title : definition.title,
    blocks: [],
    prompt: null,
    choices: [],
    form: null,
    note: null,
    progress: { answered, total: answered + (flow.remaining.get(step.id) ?? 0) },
    layer: layer
      ? { id: layer.id, title: layer.title, index: layerIndex + 1, count: definition.ladder.layers.length }
      : null,
    history: pathTaken(definition, context.answers).map((entry) => ({
      step: entry.step,
      title: entry.title,
      answer: redactSecrets(entry.answer),
      ...(entry.outcome ? { outcome: entry.outcome } : {}),
    })),
    actions,
    faq: definition.faq.map((f) => ({ id: f.id, question: f.question })),
    faqAnswer: faqAnswer
      ? { id: faqAnswer.id, question: faqAnswer.question, answer: faqAnswer.answer }
      : null,
    feedback:
      step.type === 'resolve'
        ? {
            question: step.feedback.question,
            given: context.feedback?.helpful ?? null,
            thanks: step.feedback.thanks,
          }
        : null,
    ticket: filed ? (record.escalations[record.escalations.length - 1]?.ticket ?? null) : null,
    notice: extras.notice ?? null,
  };
  if (answered === 0 && step.id === definition.start) {
    // The first card introduces the guide, as its document does: what it is for and what you need.
    view.blocks.push({ kind: 'text', text: definition.summary });
    if (definition.prerequisites.length > 0) {
      view.blocks.push({
        kind: 'list',
        heading: "What you'll need",
        items: definition.prerequisites,
        ordered: false,
      });
    }
  }
  fillStep(view, step, flow, values, extras);
  return view;
}

function fillStep(
  view: StepView,
  step: Step,
  flow: CompiledFlow,
  values: Record<string, FieldValue>,
  extras: ViewExtras,
): void {
  const choose = (style: (id: string) => ViewChoice['style']) =>
    stepTargets(step).map(
      (t): ViewChoice => ({
        id: t.id,
        label: t.label,
        style: style(t.id),
        event: { type: 'choose', choice: t.id },
      }),
    );
  const form = (fields: readonly string[], base: Omit<ViewForm, 'fields' | 'errors'>): ViewForm => ({
    ...base,
    fields: fields.flatMap((id) => {
      const field = flow.fields.get(id);
      return field ? [viewField(field, values[id], extras.typed?.[id])] : [];
    }),
    errors: extras.errors ?? {},
  });
  switch (step.type) {
    case 'question':
      if (step.help) view.blocks.push({ kind: 'text', text: step.help });
      view.choices = step.choices.map((c) => ({
        id: c.id,
        label: c.label,
        ...(c.description ? { description: c.description } : {}),
        style: 'default',
        event: { type: 'choose', choice: c.id },
      }));
      view.note = step.note;
      break;
    case 'fix':
      view.blocks.push({ kind: 'labelled', label: 'Goal', text: step.goal });
      view.blocks.push({ kind: 'list', items: step.instructions, ordered: step.instructions.length > 1 });
      view.prompt = step.check.question;
      view.choices = choose((id) => OUTCOME_STYLE[id as keyof typeof OUTCOME_STYLE] ?? 'default');
      if (step.record && step.record.length > 0) {
        view.form = form(step.record, {
          title: 'Record what you found',
          intro: 'Optional: what you record here goes into the ticket if you need help later.',
          submitLabel: 'Record',
          optional: true,
        });
      }
      break;
    case 'verify':
      if (step.intro) view.blocks.push({ kind: 'text', text: step.intro });
      view.blocks.push({ kind: 'checklist', items: step.checks });
      view.prompt = step.check.question;
      view.choices = choose((id) => OUTCOME_STYLE[id as keyof typeof OUTCOME_STYLE] ?? 'default');
      break;
    case 'capture':
      view.form = form(step.fields, {
        title: step.title,
        intro: step.intro ?? null,
        submitLabel: step.submitLabel,
        optional: false,
      });
      break;
    case 'info': {
      const blocks: ViewBlock[] = [];
      if (step.goal) blocks.push({ kind: 'labelled', label: 'Goal', text: step.goal });
      if (step.body) blocks.push({ kind: 'text', text: step.body });
      if (step.items) blocks.push({ kind: 'list', items: step.items, ordered: false });
      view.blocks.push(...blocks);
      view.choices = choose(() => 'primary');
      break;
    }
    case 'resolve': {
      view.blocks.push({ kind: 'text', text: step.message });
      if (view.feedback?.given === null) {
        view.choices = [
          { id: 'helpful', label: 'Yes', style: 'primary', event: { type: 'feedback', helpful: true } },
          { id: 'not-helpful', label: 'No', style: 'default', event: { type: 'feedback', helpful: false } },
        ];
      }
      break;
    }
    case 'escalate':
      view.blocks.push({ kind: 'text', text: step.message });
      if (view.step.phase === 'collect') {
        const missing = missingTicketFields(flow.definition, values);
        view.form = form(missing, {
          title: 'Before the ticket is filed',
          intro: `The ${step.team} team will need these details. Fill in what you can.`,
          submitLabel: 'File the ticket',
          optional: false,
        });
      } else {
        view.blocks.push({ kind: 'labelled', label: 'Filed for', text: step.team });
      }
      break;
    case 'branch':
      throw new TypeError(`a conversation never rests on branch step ${step.id}`);
  }
}

function viewField(field: FieldDefinition, value: FieldValue | undefined, typed: unknown): ViewField {
  const view: ViewField = {
    id: field.id,
    label: field.label,
    type: field.type,
    required: field.required,
    sensitive: field.sensitive,
    ...(field.help ? { help: field.help } : {}),
    ...(field.placeholder ? { placeholder: field.placeholder } : {}),
  };
  if (field.type === 'text') {
    Object.assign(view, { multiline: field.multiline, maxLength: field.maxLength });
    if (field.pattern !== undefined) view.pattern = field.pattern;
    if (field.patternHint !== undefined) view.patternHint = field.patternHint;
  }
  if (field.type === 'duration' && field.unit !== undefined) view.unit = field.unit;
  if (field.type === 'choice') view.options = field.options.map((o) => ({ id: o.id, label: o.label }));
  if ((field.type === 'number' || field.type === 'duration') && field.min !== undefined) view.min = field.min;
  if ((field.type === 'number' || field.type === 'duration') && field.max !== undefined) view.max = field.max;
  if (!field.sensitive) {
    const shown = typed !== undefined && typed !== null ? String(typed) : inputText(field, value);
    if (shown !== undefined) view.value = shown;
  }
  return view;
}

/** A stored value written back the way a user would type it into the input. */
function inputText(field: FieldDefinition, value: FieldValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (field.type === 'duration' && typeof value === 'number') return formatDuration(value).replace(/ /g, '');
  if (field.type === 'yesno') return value ? 'yes' : 'no';
  return String(value);
}
