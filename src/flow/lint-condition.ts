import type { DescribedIssue } from './describe-schema-issue.ts';
import { parseDuration } from './duration.ts';
import type { Condition, FieldDefinition, FlowDefinition } from './flow-schema.ts';
import { article, suggest } from './wording.ts';

type Issues = DescribedIssue[];

export interface ConditionContext {
  flow: FlowDefinition;
  fields: Map<string, FieldDefinition>;
  issues: Issues;
}

const ORDER_OPS = ['lt', 'lte', 'gt', 'gte'] as const;
const VALUE_OPS = ['eq', 'ne', ...ORDER_OPS] as const;

/** Checks one branch condition: fields and questions exist, and each comparison fits the field's type. */
export function lintCondition(
  condition: Condition,
  path: DescribedIssue['path'],
  ctx: ConditionContext,
): void {
  if ('all' in condition) {
    for (const [i, c] of condition.all.entries()) lintCondition(c, [...path, 'all', i], ctx);
  } else if ('any' in condition) {
    for (const [i, c] of condition.any.entries()) lintCondition(c, [...path, 'any', i], ctx);
  } else if ('not' in condition) lintCondition(condition.not, [...path, 'not'], ctx);
  else if ('answer' in condition) {
    const question = ctx.flow.steps.find((s) => s.id === condition.answer);
    if (question?.type !== 'question') {
      ctx.issues.push({
        path: [...path, 'answer'],
        message: `\`${condition.answer}\` is not a question step`,
      });
      return;
    }
    const choices = question.choices.map((c) => c.id);
    for (const id of Array.isArray(condition.is) ? condition.is : [condition.is]) {
      if (!choices.includes(id)) {
        ctx.issues.push({
          path: [...path, 'is'],
          message: `question \`${question.id}\` has no choice \`${id}\` (it has ${choices.join(', ')})`,
        });
      }
    }
  } else {
    const field = ctx.fields.get(condition.field);
    if (!field) {
      const known = [...ctx.fields.keys()];
      ctx.issues.push({
        path: [...path, 'field'],
        message: `no field has the id \`${condition.field}\`${suggest(condition.field, known)}`,
      });
      return;
    }
    for (const op of VALUE_OPS) {
      const operand = condition[op];
      if (operand === undefined) continue;
      if (
        (ORDER_OPS as readonly string[]).includes(op) &&
        field.type !== 'number' &&
        field.type !== 'duration'
      ) {
        ctx.issues.push({
          path: [...path, op],
          message: `\`${op}\` compares numbers or durations; \`${field.id}\` is ${article(field.type)} field`,
        });
      } else checkOperand(field, operand, [...path, op], ctx);
    }
    for (const [i, value] of (condition.in ?? []).entries())
      checkOperand(field, value, [...path, 'in', i], ctx);
  }
}

function checkOperand(
  field: FieldDefinition,
  operand: string | number | boolean | { field: string },
  path: DescribedIssue['path'],
  ctx: ConditionContext,
): void {
  if (typeof operand === 'object') {
    const other = ctx.fields.get(operand.field);
    if (!other)
      ctx.issues.push({ path: [...path, 'field'], message: `no field has the id \`${operand.field}\`` });
    else if (other.type !== field.type) {
      ctx.issues.push({
        path,
        message: `cannot compare ${field.type} field \`${field.id}\` with ${other.type} field \`${other.id}\``,
      });
    }
    return;
  }
  const problem = literalProblem(field, operand);
  if (problem) ctx.issues.push({ path, message: problem });
}

/** Why a literal cannot be compared with the field's values, or undefined when it can. */
function literalProblem(field: FieldDefinition, value: string | number | boolean): string | undefined {
  switch (field.type) {
    case 'duration':
      return typeof value === 'string' && parseDuration(value) !== undefined
        ? undefined
        : `\`${field.id}\` is a duration: compare it with a duration such as 30m or 1h`;
    case 'number':
      return typeof value === 'number' ? undefined : `\`${field.id}\` is a number: compare it with a number`;
    case 'yesno':
      return typeof value === 'boolean'
        ? undefined
        : `\`${field.id}\` is yes/no: compare it with true or false`;
    case 'choice': {
      const ids = field.options.map((o) => o.id);
      return typeof value === 'string' && ids.includes(value)
        ? undefined
        : `\`${field.id}\` has the options ${ids.join(', ')}: compare it with one of those ids`;
    }
    case 'text':
      return typeof value === 'string' ? undefined : `\`${field.id}\` is text: compare it with text`;
  }
}
