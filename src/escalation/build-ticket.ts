import { formatFieldValue, MASKED, NOT_GIVEN } from '../flow/format-field-value.ts';
import type { CompiledFlow } from '../machine/compile-flow.ts';
import { pathTaken, stepsTried } from '../machine/derive-path.ts';
import { type Actor, type AnswerEntry, capturedValues, type FieldValue } from '../machine/flow-context.ts';
import { layerReached } from './layer-reached.ts';
import { redactSecrets } from './redact-secrets.ts';
import { renderTicketMarkdown } from './render-ticket-markdown.ts';
import type { Ticket } from './ticket.ts';

export interface TicketInput {
  flow: CompiledFlow;
  answers: readonly AnswerEntry[];
  /** The escalate step the conversation reached. */
  stepId: string;
  conversationId: string;
  escalationNumber: number;
  reporter: Actor;
  createdAt: string;
}

const STEPS_TRIED = (count: number) => (count === 0 ? 'None' : `${count} (listed below)`);

/**
 * Compiles the ticket from the path taken. Pure: the same conversation always gives the same ticket.
 * Every text a user typed passes through secret redaction; sensitive fields are masked.
 */
export function buildTicket(input: TicketInput): Ticket {
  const { flow, answers } = input;
  const { definition } = flow;
  const step = flow.steps.get(input.stepId);
  if (step?.type !== 'escalate') throw new TypeError(`${input.stepId} is not an escalate step`);
  const values = capturedValues(answers);
  const tried = stepsTried(definition, answers);
  const path = pathTaken(definition, answers).map((entry) => ({
    ...entry,
    answer: redactSecrets(entry.answer),
  }));

  const capture = definition.capture.items.map((item) => {
    const fields = (item.fields ?? []).map((id) => {
      const field = flow.fields.get(id);
      const value = field ? redactSecrets(formatFieldValue(field, values[id])) : '';
      return { id, label: field?.label ?? id, value };
    });
    const value =
      item.auto === 'steps-tried' ? STEPS_TRIED(tried.length) : fields.map((f) => f.value).join(' · ');
    return { label: item.label, value, fields };
  });

  // The layer reached is the furthest one worked on; the escalate step's own layer (usually "contact
  // support") is where the ticket goes, so it is ticked on the ladder but is not what was reached.
  const workedLayers = new Set(
    answers
      .map((a) => flow.steps.get(a.step))
      .filter((s) => s !== undefined && s.type !== 'escalate')
      .map((s) => s?.layer)
      .filter((l): l is string => l !== undefined),
  );
  const visitedLayers = new Set([...workedLayers, ...(step.layer ? [step.layer] : [])]);
  const symptom = titleFromField(flow, values) ?? symptomOf(flow, answers);
  const reporterName = input.reporter.name ?? input.reporter.id;

  const ticket: Omit<Ticket, 'markdown'> = {
    title: redactSecrets(`${definition.title}${symptom ? `: ${symptom}` : ''} (reported by ${reporterName})`),
    guide: {
      id: definition.id,
      title: definition.title,
      version: definition.version,
      hash: flow.hash,
      owner: definition.owner,
      ...(definition.reviewedBy ? { reviewedBy: definition.reviewedBy } : {}),
    },
    conversationId: input.conversationId,
    escalationNumber: input.escalationNumber,
    reporter: input.reporter,
    createdAt: input.createdAt,
    team: step.team,
    severity: step.severity,
    reason: endedWithHelp(answers) ? 'help_now' : 'guide',
    headline: step.title,
    message: step.message,
    ...(definition.capture.intro ? { captureIntro: definition.capture.intro } : {}),
    capture,
    stepsTried: tried,
    path,
    ladder: {
      ...(definition.ladder.intro ? { intro: definition.ladder.intro } : {}),
      reached: layerReached(definition, workedLayers),
      layers: definition.ladder.layers.map((l) => ({ ...l, visited: visitedLayers.has(l.id) })),
    },
  };
  return { ...ticket, markdown: renderTicketMarkdown(ticket) };
}

/** Whether "I need help now" led here (rather than the guide's own path). */
function endedWithHelp(answers: readonly AnswerEntry[]): boolean {
  return answers.findLast((a) => a.kind !== 'record' && a.kind !== 'submit')?.kind === 'help';
}

/** The guide's title field, when it has one with a value: the problem in the reporter's words. */
function titleFromField(flow: CompiledFlow, values: Record<string, FieldValue>): string | undefined {
  const id = flow.definition.capture.titleField;
  const field = id === undefined ? undefined : flow.fields.get(id);
  if (!field || !id) return undefined;
  const text = formatFieldValue(field, values[id]);
  if (text === NOT_GIVEN || text === MASKED) return undefined;
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 80 ? `${line.slice(0, 79).trimEnd()}…` : line;
}

/** The latest answer to a question marked `symptom`, else the answer to the first question asked. */
function symptomOf(flow: CompiledFlow, answers: readonly AnswerEntry[]): string | undefined {
  const label = (entry: AnswerEntry | undefined) => {
    const step = entry && flow.steps.get(entry.step);
    return step?.type === 'question' ? step.choices.find((c) => c.id === entry?.choice)?.label : undefined;
  };
  const marked = answers.findLast((a) => {
    const step = flow.steps.get(a.step);
    return a.kind === 'choice' && step?.type === 'question' && step.symptom;
  });
  return (
    label(marked) ??
    label(answers.find((a) => a.kind === 'choice' && flow.steps.get(a.step)?.type === 'question'))
  );
}
