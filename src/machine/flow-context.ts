/**
 * What a running guide remembers, kept as plain JSON so it can be stored and restored exactly.
 * The path taken is the list of answers; everything else (captured values, steps tried) is derived
 * from it, so "back" only has to drop answers.
 */

/** Who did something: a platform user id and a display name. */
export interface Actor {
  id: string;
  name?: string;
}

/** A captured value: durations as milliseconds, yes/no as booleans, choices as option ids; null = left blank. */
export type FieldValue = string | number | boolean | null;

export type AnswerKind =
  /** A question choice, a fix/verify outcome (`good`, `bad`, `skip`), or `continue` on an info step. */
  | 'choice'
  /** A capture form, or the missing ticket details before an escalation is filed. */
  | 'submit'
  /** Values recorded on a fix step without leaving it. */
  | 'record'
  /** "I need help now", from this step. */
  | 'help';

export interface AnswerEntry {
  step: string;
  kind: AnswerKind;
  choice?: string;
  values?: Record<string, FieldValue>;
  at: string;
  by: Actor;
}

export interface FlowContext {
  answers: AnswerEntry[];
  /** The FAQ entry shown beside the current step, until the next answer. */
  faq: string | null;
  feedback: { helpful: boolean; at: string; by: Actor } | null;
}

interface Stamped {
  at: string;
  by: Actor;
}

export type MachineEvent =
  | ({ type: 'CHOOSE'; choice: string } & Stamped)
  | ({ type: 'SUBMIT'; values: Record<string, FieldValue> } & Stamped)
  | ({ type: 'BACK' } & Stamped)
  | ({ type: 'RESTART' } & Stamped)
  | ({ type: 'ESCALATE' } & Stamped)
  | ({ type: 'FAQ'; faq: string } & Stamped)
  | ({ type: 'FEEDBACK'; helpful: boolean } & Stamped);

export const initialContext = (): FlowContext => ({ answers: [], faq: null, feedback: null });

/** Answers that moved the conversation to another step (records stay on their step). */
export const isMove = (entry: AnswerEntry): boolean => entry.kind !== 'record';

/** The captured values, latest answer wins (a field cleared later is cleared). */
export function capturedValues(answers: readonly AnswerEntry[]): Record<string, FieldValue> {
  const values: Record<string, FieldValue> = {};
  for (const entry of answers) Object.assign(values, entry.values);
  return values;
}
