import { join } from 'node:path';
import type { Actor } from '../../src/machine/flow-context.ts';
import type { Engine } from '../../src/runtime/create-engine.ts';
import { checkedFlow, FLOWS_DIR } from './guides.ts';

/** The guide for problems no other guide covers: one choice and one form, then the ticket. */
export const otherProblem = () => checkedFlow(join(FLOWS_DIR, 'other-problem.yaml'));

/** Walks the other-problem guide to its ticket; returns the turn that filed it. */
export async function escalate(
  engine: Engine,
  key: string,
  actor: Actor,
  values: { problem?: string; impact?: string; started?: string; tried?: string } = {},
) {
  await engine.turn({ key, actor, event: { type: 'start', flowId: 'other-problem' } });
  await engine.turn({ key, actor, event: { type: 'choose', choice: 'file' } });
  const filed = await engine.turn({
    key,
    actor,
    event: {
      type: 'submit',
      values: {
        problem: values.problem ?? 'The deploy dashboard shows a blank page since noon.',
        impact: values.impact ?? 'team',
        ...(values.started === undefined ? {} : { started: values.started }),
        ...(values.tried === undefined ? {} : { tried: values.tried }),
      },
    },
  });
  if (filed.view.status !== 'escalated')
    throw new Error(`expected a filed ticket, got ${filed.outcome}: ${filed.reason ?? ''}`);
  return filed;
}
