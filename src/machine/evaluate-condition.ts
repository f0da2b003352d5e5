import { parseDuration } from '../flow/duration.ts';
import type { ComparisonOp, Condition, FieldDefinition } from '../flow/flow-schema.ts';
import type { AnswerEntry, FieldValue } from './flow-context.ts';

export interface ConditionScope {
  fields: ReadonlyMap<string, FieldDefinition>;
  values: Readonly<Record<string, FieldValue>>;
  answers: readonly AnswerEntry[];
}

/**
 * Evaluates a guide's declarative condition. A comparison with a value nobody gave is false (so
 * `otherwise` catches it); use `set: false` to route on a missing value explicitly.
 */
export function evaluateCondition(condition: Condition, scope: ConditionScope): boolean {
  if ('all' in condition) return condition.all.every((c) => evaluateCondition(c, scope));
  if ('any' in condition) return condition.any.some((c) => evaluateCondition(c, scope));
  if ('not' in condition) return !evaluateCondition(condition.not, scope);
  if ('answer' in condition) {
    const expected = Array.isArray(condition.is) ? condition.is : [condition.is];
    const last = scope.answers.findLast((a) => a.step === condition.answer && a.kind === 'choice');
    return last?.choice !== undefined && expected.includes(last.choice);
  }
  const field = scope.fields.get(condition.field);
  const value = scope.values[condition.field];
  const present = value !== undefined && value !== null;
  if (condition.set !== undefined) return condition.set === present;
  if (!field || !present) return false;
  if (condition.in !== undefined) return condition.in.some((v) => literal(field, v) === value);
  for (const op of ['eq', 'ne', 'lt', 'lte', 'gt', 'gte'] as const) {
    const operand = condition[op];
    if (operand === undefined) continue;
    const other = typeof operand === 'object' ? scope.values[operand.field] : literal(field, operand);
    if (other === undefined || other === null) return false;
    return compare(op, value, other);
  }
  return false;
}

/** A literal from the guide in the same representation as the field's captured values. */
function literal(field: FieldDefinition, value: string | number | boolean): FieldValue {
  if (field.type === 'duration' && typeof value === 'string') return parseDuration(value) ?? null;
  return value;
}

function compare(
  op: Exclude<ComparisonOp, 'in' | 'set'>,
  a: NonNullable<FieldValue>,
  b: NonNullable<FieldValue>,
): boolean {
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'lt':
      return a < b;
    case 'lte':
      return a <= b;
    case 'gt':
      return a > b;
    case 'gte':
      return a >= b;
  }
}
