import type { StateValue } from 'xstate';

/** The step a snapshot rests on, and for escalate steps whether it is collecting details or filed. */
export function currentPosition(value: StateValue): { stepId: string; phase?: 'collect' | 'filed' } {
  if (typeof value === 'string') return { stepId: value };
  const [stepId, inner] = Object.entries(value)[0] ?? [];
  if (stepId === undefined) throw new TypeError('empty state value');
  return inner === 'collect' || inner === 'filed' ? { stepId, phase: inner } : { stepId };
}
