import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readFlow } from '../../src/flow/read-flow.ts';
import { stepTargets } from '../../src/flow/step-targets.ts';
import { buildView } from '../../src/runtime/build-view.ts';
import { currentPosition } from '../../src/runtime/current-position.ts';
import { exploreGuide, type FlowSnapshot, recordOf } from '../helpers/explore-guide.ts';
import { allGuides } from '../helpers/guides.ts';

const guides = await allGuides();

describe.each(guides.map((g) => [g.definition.id, g] as const))('the guide %s', (_id, checked) => {
  const { flow, states, serialize, successors } = exploreGuide(checked);
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
