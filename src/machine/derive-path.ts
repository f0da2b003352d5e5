import type { FieldDefinition, FlowDefinition, Step } from '../flow/flow-schema.ts';
import { formatFieldValue } from '../flow/format-field-value.ts';
import { stepTargets } from '../flow/step-targets.ts';
import type { Actor, AnswerEntry, FieldValue } from './flow-context.ts';

export type StepOutcome = 'worked' | 'did_not_work' | 'skipped';

export interface StepTried {
  step: string;
  title: string;
  outcome: StepOutcome;
  at: string;
  by: Actor;
}

export interface PathEntry {
  step: string;
  /** The step's title (the question asked, the fix tried). */
  title: string;
  /** What was answered, as the user saw it. */
  answer: string;
  outcome?: StepOutcome;
  at: string;
  by: Actor;
}

const OUTCOMES: Record<string, StepOutcome> = { good: 'worked', bad: 'did_not_work', skip: 'skipped' };

/** Every fix step visited on the current path, with its outcome: the ticket's "steps already tried". */
export function stepsTried(definition: FlowDefinition, answers: readonly AnswerEntry[]): StepTried[] {
  const tried: StepTried[] = [];
  for (const entry of answers) {
    const step = definition.steps.find((s) => s.id === entry.step);
    if (step?.type !== 'fix' || entry.kind === 'record' || entry.kind === 'submit') continue;
    const outcome = entry.kind === 'help' ? 'skipped' : OUTCOMES[entry.choice ?? ''];
    if (outcome) tried.push({ step: step.id, title: step.title, outcome, at: entry.at, by: entry.by });
  }
  return tried;
}

/** The path taken, one entry per answer, in words. */
export function pathTaken(definition: FlowDefinition, answers: readonly AnswerEntry[]): PathEntry[] {
  const steps = new Map(definition.steps.map((s) => [s.id, s]));
  const fields = new Map(definition.fields.map((f) => [f.id, f]));
  return answers.flatMap((entry): PathEntry[] => {
    const step = steps.get(entry.step);
    if (!step) return [];
    const base = { step: step.id, title: stepTitle(step), at: entry.at, by: entry.by };
    switch (entry.kind) {
      case 'help':
        return [
          {
            ...base,
            answer: 'Asked for help',
            ...(step.type === 'fix' ? { outcome: 'skipped' as const } : {}),
          },
        ];
      case 'submit':
      case 'record':
        return [{ ...base, answer: describeValues(entry.values ?? {}, fields) }];
      case 'choice': {
        const target = stepTargets(step).find((t) => t.id === entry.choice);
        const outcome = step.type === 'fix' ? OUTCOMES[entry.choice ?? ''] : undefined;
        return [{ ...base, answer: target?.label ?? entry.choice ?? '', ...(outcome ? { outcome } : {}) }];
      }
      default:
        return [];
    }
  });
}

export function stepTitle(step: Step): string {
  return step.type === 'branch' ? (step.title ?? step.id) : step.title;
}

function describeValues(
  values: Record<string, FieldValue>,
  fields: ReadonlyMap<string, FieldDefinition>,
): string {
  const parts = Object.entries(values).map(([id, value]) => {
    const field = fields.get(id);
    return field ? `${field.label}: ${formatFieldValue(field, value)}` : `${id}: ${String(value)}`;
  });
  return parts.length > 0 ? parts.join('; ') : 'Nothing recorded';
}
