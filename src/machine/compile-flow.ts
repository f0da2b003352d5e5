import { assign, setup } from 'xstate';
import type { Condition, FieldDefinition, FlowDefinition, Step } from '../flow/flow-schema.ts';
import type { CheckedFlow } from '../flow/read-flow.ts';
import { stepTargets, TERMINAL_STEP_TYPES } from '../flow/step-targets.ts';
import { evaluateCondition } from './evaluate-condition.ts';
import {
  type AnswerEntry,
  type AnswerKind,
  capturedValues,
  type FlowContext,
  initialContext,
  isMove,
  type MachineEvent,
} from './flow-context.ts';
import { missingTicketFields } from './ticket-fields.ts';

/** A guide compiled once at start-up: its machine plus the lookups renderers and the engine need. */
export interface CompiledFlow {
  definition: FlowDefinition;
  hash: string;
  machine: FlowMachine;
  steps: ReadonlyMap<string, Step>;
  fields: ReadonlyMap<string, FieldDefinition>;
  /** The escalate step "I need help now" leads to. */
  helpStep: string;
  /** How many answers it takes at least to finish from each step; drives the progress shown. */
  remaining: ReadonlyMap<string, number>;
}

export type FlowMachine = ReturnType<typeof buildMachine>;

/** States of an escalate step: `collect` asks for missing ticket details, `filed` is the end. */
export const ESCALATION_PHASES = { check: 'check', collect: 'collect', filed: 'filed' } as const;

export function compileFlow(flow: Pick<CheckedFlow, 'definition' | 'hash'>): CompiledFlow {
  const { definition } = flow;
  const steps = new Map(definition.steps.map((s) => [s.id, s]));
  const fields = new Map(definition.fields.map((f) => [f.id, f]));
  const helpStep = definition.help ?? definition.steps.find((s) => s.type === 'escalate')?.id;
  if (helpStep === undefined) throw new TypeError(`guide ${definition.id} has no escalate step`);
  const machine = buildMachine(definition, fields, helpStep);
  return {
    definition,
    hash: flow.hash,
    machine,
    steps,
    fields,
    helpStep,
    remaining: remainingAnswers(definition),
  };
}

/** The step a conversation rests on when the previous answers are dropped ("back"). */
function previousStep(answers: readonly AnswerEntry[]): string | undefined {
  let end = answers.length;
  while (end > 0 && !isMove(answers[end - 1] as AnswerEntry)) end--;
  return answers[end - 1]?.step;
}

function buildMachine(
  definition: FlowDefinition,
  fields: ReadonlyMap<string, FieldDefinition>,
  helpStep: string,
) {
  const rules = new Map<string, Condition>(
    definition.steps.flatMap((s) =>
      s.type === 'branch' ? s.rules.map((r, i) => [`${s.id}#${i}`, r.when] as const) : [],
    ),
  );
  const interactive = definition.steps.filter((s) => s.type !== 'branch').map((s) => s.id);
  const faqIds = new Set(definition.faq.map((f) => f.id));

  const guided = setup({
    types: {} as { context: FlowContext; events: MachineEvent },
    guards: {
      chose: ({ event }, params: { choice: string }) =>
        event.type === 'CHOOSE' && event.choice === params.choice,
      backTo: ({ context }, params: { step: string }) => previousStep(context.answers) === params.step,
      rule: ({ context }, params: { rule: string }) => {
        const when = rules.get(params.rule);
        const scope = { fields, values: capturedValues(context.answers), answers: context.answers };
        return when !== undefined && evaluateCondition(when, scope);
      },
      ticketComplete: ({ context }) =>
        missingTicketFields(definition, capturedValues(context.answers)).length === 0,
      knownFaq: ({ event }) => event.type === 'FAQ' && faqIds.has(event.faq),
    },
    actions: {
      answer: assign(({ context, event }, params: { step: string; kind: AnswerKind }) => {
        const entry: AnswerEntry = { step: params.step, kind: params.kind, at: event.at, by: event.by };
        if (event.type === 'CHOOSE') entry.choice = event.choice;
        if (event.type === 'SUBMIT') entry.values = event.values;
        return { answers: [...context.answers, entry], faq: null };
      }),
      dropLastAnswer: assign(({ context }) => {
        const answers = [...context.answers];
        while (answers.length > 0 && !isMove(answers[answers.length - 1] as AnswerEntry)) answers.pop();
        answers.pop();
        // Feedback belongs to the resolution it answered; going back leaves that resolution.
        return { answers, faq: null, feedback: null };
      }),
      reset: assign(() => initialContext()),
      showFaq: assign(({ event }) => ({ faq: event.type === 'FAQ' ? event.faq : null })),
      giveFeedback: assign(({ event }) => ({
        feedback: event.type === 'FEEDBACK' ? { helpful: event.helpful, at: event.at, by: event.by } : null,
      })),
    },
  });

  const answer = (step: string, kind: AnswerKind) => ({ type: 'answer' as const, params: { step, kind } });
  const back = interactive.map((step) => ({
    guard: { type: 'backTo' as const, params: { step } },
    target: `#${definition.id}.${step}`,
    actions: 'dropLastAnswer' as const,
    reenter: true,
  }));
  const common = (step: Step) => ({
    BACK: back,
    ...(step.type === 'escalate'
      ? {}
      : { ESCALATE: { target: `#${definition.id}.${helpStep}`, actions: answer(step.id, 'help') } }),
  });

  const states: Record<string, object> = {};
  for (const step of definition.steps) {
    const choose = stepTargets(step).map((t) => ({
      guard: { type: 'chose' as const, params: { choice: t.id } },
      target: t.next,
      actions: answer(step.id, 'choice'),
    }));
    switch (step.type) {
      case 'question':
      case 'verify':
      case 'info':
        states[step.id] = { on: { ...common(step), CHOOSE: choose } };
        break;
      case 'fix':
        states[step.id] = {
          on: { ...common(step), CHOOSE: choose, SUBMIT: { actions: answer(step.id, 'record') } },
        };
        break;
      case 'capture':
        states[step.id] = {
          on: { ...common(step), SUBMIT: { target: step.next, actions: answer(step.id, 'submit') } },
        };
        break;
      case 'branch':
        states[step.id] = {
          always: [
            ...step.rules.map((r, i) => ({
              guard: { type: 'rule' as const, params: { rule: `${step.id}#${i}` } },
              target: r.next,
            })),
            { target: step.otherwise },
          ],
        };
        break;
      case 'resolve':
        states[step.id] = { on: { ...common(step), FEEDBACK: { actions: 'giveFeedback' } } };
        break;
      case 'escalate':
        states[step.id] = {
          initial: ESCALATION_PHASES.check,
          states: {
            [ESCALATION_PHASES.check]: {
              always: [
                { guard: 'ticketComplete', target: ESCALATION_PHASES.filed },
                { target: ESCALATION_PHASES.collect },
              ],
            },
            [ESCALATION_PHASES.collect]: {
              on: {
                ...common(step),
                SUBMIT: { target: ESCALATION_PHASES.check, actions: answer(step.id, 'submit') },
              },
            },
            [ESCALATION_PHASES.filed]: {},
          },
        };
        break;
    }
  }

  return guided.createMachine({
    id: definition.id,
    initial: definition.start,
    context: initialContext,
    on: {
      RESTART: { target: `.${definition.start}`, actions: 'reset', reenter: true },
      FAQ: { guard: 'knownFaq', actions: 'showFaq' },
    },
    // The states are generated from data, so their shape cannot be known to the type checker.
    states: states as never,
  });
}

/** Fewest answers from each step to a resolve or escalate step (branches cost nothing). */
function remainingAnswers(definition: FlowDefinition): Map<string, number> {
  const remaining = new Map<string, number>();
  for (const step of definition.steps) if (TERMINAL_STEP_TYPES.has(step.type)) remaining.set(step.id, 0);
  let changed = true;
  while (changed) {
    changed = false;
    for (const step of definition.steps) {
      const cost = step.type === 'branch' ? 0 : 1;
      for (const target of stepTargets(step)) {
        const after = target.next === undefined ? undefined : remaining.get(target.next);
        if (after === undefined) continue;
        const here = remaining.get(step.id);
        if (here === undefined || after + cost < here) {
          remaining.set(step.id, after + cost);
          changed = true;
        }
      }
    }
  }
  return remaining;
}
