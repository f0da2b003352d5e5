import type { Step, StepType } from './flow-schema.ts';

/** Steps where a conversation ends: the guide worked, or a ticket is filed. */
export const TERMINAL_STEP_TYPES: ReadonlySet<StepType> = new Set(['resolve', 'escalate']);

export interface StepTarget {
  /** What the user does (or what holds) to go there: a choice id, an outcome, `continue`, a rule. */
  id: string;
  label: string;
  next: string | undefined;
  /** Path of the `next` key inside the step, for error messages. */
  path: Array<string | number>;
  what: string;
}

/** Every way out of a step, in the order the step lists them. */
export function stepTargets(step: Step): StepTarget[] {
  switch (step.type) {
    case 'question':
      return step.choices.map((c, i) => ({
        id: c.id,
        label: c.label,
        next: c.next,
        path: ['choices', i, 'next'],
        what: `choice \`${c.id}\``,
      }));
    case 'fix':
    case 'verify': {
      const outcomes = [
        ['good', step.check.good],
        ['bad', step.check.bad],
        ...(step.check.skip ? ([['skip', step.check.skip]] as const) : []),
      ] as const;
      return outcomes.map(([id, o]) => ({
        id,
        label: o.label,
        next: o.next,
        path: ['check', id, 'next'],
        what: `outcome \`${id}\``,
      }));
    }
    case 'capture':
      return [{ id: 'submit', label: step.submitLabel, next: step.next, path: ['next'], what: 'the step' }];
    case 'info':
      return [
        { id: 'continue', label: step.continueLabel, next: step.next, path: ['next'], what: 'the step' },
      ];
    case 'branch':
      return [
        ...step.rules.map((r, i) => ({
          id: `rule-${i + 1}`,
          label: `rule ${i + 1}`,
          next: r.next as string | undefined,
          path: ['rules', i, 'next'],
          what: `rule ${i + 1}`,
        })),
        {
          id: 'otherwise',
          label: 'otherwise',
          next: step.otherwise,
          path: ['otherwise'],
          what: '`otherwise`',
        },
      ];
    case 'resolve':
    case 'escalate':
      return [];
  }
}
