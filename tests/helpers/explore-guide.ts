/**
 * Explores every state a user can reach in a guide (XState's graph utilities over the compiled machine,
 * with sample answers chosen to take every branch), and draws every view a surface may have to render.
 */
import type { EventFromLogic, SnapshotFrom } from 'xstate';
import { type AdjacencyMap, getAdjacencyMap } from 'xstate/graph';
import { buildTicket } from '../../src/escalation/build-ticket.ts';
import { parseDuration } from '../../src/flow/duration.ts';
import type { Condition, FieldDefinition } from '../../src/flow/flow-schema.ts';
import type { CheckedFlow } from '../../src/flow/read-flow.ts';
import { stepTargets } from '../../src/flow/step-targets.ts';
import { type CompiledFlow, compileFlow, type FlowMachine } from '../../src/machine/compile-flow.ts';
import {
  capturedValues,
  type FieldValue,
  type FlowContext,
  type MachineEvent,
} from '../../src/machine/flow-context.ts';
import { buildView } from '../../src/runtime/build-view.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { currentPosition } from '../../src/runtime/current-position.ts';
import { expiredView } from '../../src/runtime/expired-view.ts';
import type { StepView } from '../../src/runtime/step-view.ts';
import { formFields } from '../../src/runtime/to-machine-event.ts';
import { ADA } from './guides.ts';

export type FlowSnapshot = SnapshotFrom<FlowMachine>;

const stamp = { at: '2026-03-02T09:00:00.000Z', by: ADA };

/** A record around a snapshot, as the engine would store it. */
export function recordOf(
  flow: CompiledFlow,
  snapshot: { value: FlowSnapshot['value']; context: FlowContext },
): ConversationRecord {
  const { stepId, phase } = currentPosition(snapshot.value);
  const type = flow.steps.get(stepId)?.type;
  return {
    id: 'c-1',
    key: 'k',
    flowId: flow.definition.id,
    flowHash: flow.hash,
    snapshot: { value: snapshot.value, context: snapshot.context },
    status:
      type === 'resolve' ? 'resolved' : type === 'escalate' && phase === 'filed' ? 'escalated' : 'active',
    startedBy: ADA,
    startedAt: stamp.at,
    updatedAt: stamp.at,
    escalations: [],
  };
}

/** Every field and question a guide's conditions look at, with the literals they compare against. */
function conditionInputs(flow: CompiledFlow) {
  const literals = new Map<string, Set<number>>();
  const questions = new Set<string>();
  const walk = (c: Condition): void => {
    if ('all' in c) c.all.forEach(walk);
    else if ('any' in c) c.any.forEach(walk);
    else if ('not' in c) walk(c.not);
    else if ('answer' in c) questions.add(c.answer);
    else {
      const set = literals.get(c.field) ?? new Set<number>();
      literals.set(c.field, set);
      const field = flow.fields.get(c.field);
      for (const op of ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'] as const) {
        const operand = c[op];
        if (typeof operand === 'object')
          literals.set(operand.field, literals.get(operand.field) ?? new Set());
        else if (typeof operand === 'number') set.add(operand);
        else if (typeof operand === 'string' && field?.type === 'duration')
          set.add(parseDuration(operand) ?? 0);
      }
    }
  };
  for (const step of flow.definition.steps)
    if (step.type === 'branch') for (const rule of step.rules) walk(rule.when);
  return { literals, questions };
}

/** Sample values per field: both sides of every literal a condition uses, plus a low and a high value. */
function samples(field: FieldDefinition, literals: ReadonlySet<number> = new Set()): FieldValue[] {
  const around = (delta: number, low: number, high: number) => [
    ...new Set([low, high, ...[...literals].flatMap((l) => [l - delta, l, l + delta])]),
  ];
  switch (field.type) {
    case 'duration':
      return around(1000, 60_000, 86_400_000).filter((v) => v >= 0);
    case 'number':
      return around(1, field.min ?? 0, field.max ?? 1000);
    case 'choice':
      return field.options.map((o) => o.id);
    case 'yesno':
      return [true, false];
    case 'text':
      return ['sample text', 'other text'];
  }
}

/** Combinations of samples: all of them when few, otherwise each sample of each field at least once. */
function combinations(lists: Array<[string, FieldValue[]]>): Array<Record<string, FieldValue>> {
  const total = lists.reduce((n, [, values]) => n * values.length, 1);
  if (total <= 1000) {
    return lists.reduce<Array<Record<string, FieldValue>>>(
      (combos, [id, values]) => combos.flatMap((combo) => values.map((v) => ({ ...combo, [id]: v }))),
      [{}],
    );
  }
  const longest = Math.max(...lists.map(([, values]) => values.length));
  const combos: Array<Record<string, FieldValue>> = [];
  for (let shift = 0; shift < lists.length; shift++) {
    for (let i = 0; i < longest; i++) {
      combos.push(
        Object.fromEntries(
          lists.map(([id, values], f) => [id, values[(i * (f + 1) + shift) % values.length] as FieldValue]),
        ),
      );
    }
  }
  return combos;
}

/** The answers a user could give at this snapshot: every choice, and forms filled with sample values. */
function userEvents(
  flow: CompiledFlow,
  snapshot: FlowSnapshot,
  literals: Map<string, Set<number>>,
): MachineEvent[] {
  const record = recordOf(flow, snapshot);
  const { stepId } = currentPosition(snapshot.value);
  const step = flow.steps.get(stepId);
  if (!step || record.status !== 'active') return [];
  const events: MachineEvent[] =
    step.type === 'capture' ? [] : stepTargets(step).map((t) => ({ type: 'CHOOSE', choice: t.id, ...stamp }));
  const form = formFields(flow, record);
  if (form && !form.partial) {
    const lists = form.fields.flatMap((id): Array<[string, FieldValue[]]> => {
      const field = flow.fields.get(id);
      if (!field) return [];
      // A field no condition reads cannot change the route: one value is enough.
      const values = samples(field, literals.get(id));
      return [[id, literals.has(id) ? values : values.slice(0, 1)]];
    });
    events.push(...combinations(lists).map((values) => ({ type: 'SUBMIT' as const, values, ...stamp })));
  }
  return events;
}

export interface GuideExploration {
  flow: CompiledFlow;
  states: Array<[string, { state: FlowSnapshot; transitions: object }]>;
  serialize: (snapshot: FlowSnapshot) => string;
  successors: (transitions: object) => Array<{ state: FlowSnapshot }>;
}

export function exploreGuide(checked: CheckedFlow): GuideExploration {
  const flow = compileFlow(checked);
  const { literals, questions } = conditionInputs(flow);
  // Two snapshots are the same state for routing when they rest on the same step with the same values
  // for everything a condition reads.
  const serialize = (s: FlowSnapshot) => {
    const { answers } = s.context as FlowContext;
    const values = capturedValues(answers);
    return JSON.stringify([
      s.value,
      [...literals.keys()].map((id) => values[id] ?? null),
      [...questions].map((q) => answers.findLast((a) => a.step === q)?.choice ?? null),
    ]);
  };
  const adjacency: AdjacencyMap<FlowSnapshot, EventFromLogic<FlowMachine>> = getAdjacencyMap(flow.machine, {
    events: (s) => userEvents(flow, s, literals),
    serializeState: serialize,
  });
  // The adjacency map keys transitions by a branded string, which hides their type from Object.values.
  const successors = (transitions: object) => Object.values(transitions) as Array<{ state: FlowSnapshot }>;
  return { flow, states: Object.entries(adjacency), serialize, successors };
}

const LONG = 'This error message is long on purpose, to see how a surface copes with it. '.repeat(6).trim();

/**
 * Every view of a guide a renderer may be asked to draw: each step as reached by its shortest and its
 * longest path, the same state with an FAQ
 * answer shown, forms refused with an error on every field, filed escalations with their ticket, a
 * stale-card notice, and the expired view.
 */
export function everyView(checked: CheckedFlow): StepView[] {
  const { flow, states } = exploreGuide(checked);
  // Values make many states per step; a surface only needs each step in its lightest and heaviest form
  // (the shortest and the longest path to it), which bound every other.
  const extremes = new Map<string, { light: FlowSnapshot; heavy: FlowSnapshot }>();
  for (const [, { state }] of states) {
    const key = JSON.stringify(state.value);
    const seen = extremes.get(key);
    const size = (s: FlowSnapshot) => JSON.stringify(s.context).length;
    if (!seen) extremes.set(key, { light: state, heavy: state });
    else {
      if (size(state) < size(seen.light)) seen.light = state;
      if (size(state) > size(seen.heavy)) seen.heavy = state;
    }
  }
  const chosen = [...extremes.values()].flatMap(({ light, heavy }) =>
    light === heavy ? [light] : [light, heavy],
  );
  const views: StepView[] = [];
  for (const state of chosen) {
    const record = recordOf(flow, state);
    const { stepId } = currentPosition(state.value);
    if (record.status === 'escalated') {
      const ticket = buildTicket({
        flow,
        answers: record.snapshot.context.answers,
        stepId,
        conversationId: record.id,
        escalationNumber: 1,
        reporter: ADA,
        createdAt: stamp.at,
      });
      record.escalations = [{ number: 1, ticket }];
    }
    const view = buildView(flow, record, 7);
    views.push(view);
    if (view.form) {
      const errors = Object.fromEntries(view.form.fields.map((f) => [f.id, LONG]));
      const typed = Object.fromEntries(view.form.fields.map((f) => [f.id, 'x'.repeat(300)]));
      views.push(buildView(flow, record, 7, { errors, typed }));
    }
    const faq = flow.definition.faq[0];
    if (faq) {
      const withFaq = {
        ...record,
        snapshot: { ...record.snapshot, context: { ...record.snapshot.context, faq: faq.id } },
      };
      views.push(
        buildView(flow, withFaq, 7, {
          notice: { kind: 'warning', text: 'That card is out of date, so nothing changed.' },
        }),
      );
    }
  }
  views.push(expiredView({ idleMs: 7 * 86_400_000, flow: flow.definition, conversationId: 'c-1' }));
  return views;
}
