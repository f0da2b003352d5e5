import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventFromLogic, SnapshotFrom } from 'xstate';
import { type AdjacencyMap, getAdjacencyMap } from 'xstate/graph';
import { parseDuration } from '../../src/flow/duration.ts';
import type { Condition, FieldDefinition } from '../../src/flow/flow-schema.ts';
import { readFlow } from '../../src/flow/read-flow.ts';
import { stepTargets } from '../../src/flow/step-targets.ts';
import { type CompiledFlow, compileFlow, type FlowMachine } from '../../src/machine/compile-flow.ts';

type FlowSnapshot = SnapshotFrom<FlowMachine>;

import {
  capturedValues,
  type FieldValue,
  type FlowContext,
  type MachineEvent,
} from '../../src/machine/flow-context.ts';
import { buildView } from '../../src/runtime/build-view.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { currentPosition } from '../../src/runtime/current-position.ts';
import { formFields } from '../../src/runtime/to-machine-event.ts';
import { ADA, allGuides } from '../helpers/guides.ts';

const stamp = { at: '2026-03-02T09:00:00.000Z', by: ADA };
const guides = await allGuides();

/** A record around a snapshot, as the engine would store it. */
function recordOf(
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

describe.each(guides.map((g) => [g.definition.id, g] as const))('the guide %s', (_id, checked) => {
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
  const states = Object.entries(adjacency);
  // The adjacency map keys transitions by a branded string, which hides their type from Object.values.
  const successors = (transitions: object) => Object.values(transitions) as Array<{ state: FlowSnapshot }>;
  const isEnd = (s: FlowSnapshot) => recordOf(flow, s).status !== 'active';

  it('validates and compiles', () => {
    expect(readFlow(readFileSync(checked.file, 'utf8'), checked.file).ok).toBe(true);
    expect(states.length).toBeGreaterThan(flow.definition.steps.length / 2);
  });

  it('reaches every step that is not a branch by answering', () => {
    const reached = new Set(states.map(([, v]) => currentPosition(v.state.value).stepId));
    const expected = flow.definition.steps.filter((s) => s.type !== 'branch').map((s) => s.id);
    expect(expected.filter((id) => !reached.has(id))).toEqual([]);
  });

  it('takes every rule of every branch on some path', () => {
    const taken = new Set<string>();
    for (const [, { transitions }] of states) {
      for (const { state } of successors(transitions)) taken.add(currentPosition(state.value).stepId);
    }
    for (const step of flow.definition.steps) {
      if (step.type !== 'branch') continue;
      for (const target of stepTargets(step))
        expect(taken, `${step.id} → ${target.next}`).toContain(target.next);
    }
  });

  it('can end in resolution or escalation from every state a user can reach', () => {
    const canFinish = new Set(states.filter(([, v]) => isEnd(v.state)).map(([key]) => key));
    let grew = true;
    while (grew) {
      grew = false;
      for (const [key, { transitions }] of states) {
        if (canFinish.has(key)) continue;
        if (successors(transitions).some((t) => canFinish.has(serialize(t.state)))) {
          canFinish.add(key);
          grew = true;
        }
      }
    }
    const stuck = states.filter(([key]) => !canFinish.has(key)).map(([, v]) => JSON.stringify(v.state.value));
    expect(stuck).toEqual([]);
    expect(states.filter(([, v]) => isEnd(v.state)).length).toBeGreaterThan(1);
  });

  it('draws the same view after the snapshot is saved to JSON and restored, at every state', () => {
    for (const [, { state }] of states) {
      const record = recordOf(flow, state);
      const restored = flow.machine.resolveState(JSON.parse(JSON.stringify(record.snapshot)));
      expect(restored.value).toEqual(state.value);
      expect(buildView(flow, recordOf(flow, restored), 3)).toEqual(buildView(flow, record, 3));
    }
  });
});
