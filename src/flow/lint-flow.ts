import type { DescribedIssue } from './describe-schema-issue.ts';
import { parseDuration } from './duration.ts';
import type { Condition, FieldDefinition, FlowDefinition, Step } from './flow-schema.ts';
import { stepTargets, TERMINAL_STEP_TYPES } from './step-targets.ts';

type Issues = DescribedIssue[];

/**
 * Cross-checks a schema-valid guide: references, reachability, dead ends, conditions and captures.
 * Every issue carries the field path it is about, so the loader can point at the line.
 */
export function lintFlow(flow: FlowDefinition): Issues {
  const issues: Issues = [];
  const stepIndex = new Map<string, number>();
  const fields = new Map<string, FieldDefinition>();

  flow.steps.forEach((step, i) => {
    if (stepIndex.has(step.id))
      issues.push({ path: ['steps', i, 'id'], message: `duplicate step id \`${step.id}\`` });
    else stepIndex.set(step.id, i);
  });
  flow.fields.forEach((field, i) => {
    if (fields.has(field.id))
      issues.push({ path: ['fields', i, 'id'], message: `duplicate field id \`${field.id}\`` });
    else fields.set(field.id, field);
  });
  checkUnique(flow.faq, ['faq'], 'FAQ id', issues);
  checkUnique(flow.ladder.layers, ['ladder', 'layers'], 'layer id', issues);
  const layers = new Set(flow.ladder.layers.map((l) => l.id));

  const stepRef = (id: string, path: DescribedIssue['path'], expect?: Step['type']) => {
    const index = stepIndex.get(id);
    if (index === undefined) {
      issues.push({ path, message: `no step has the id \`${id}\`${suggest(id, [...stepIndex.keys()])}` });
    } else if (expect && flow.steps[index]?.type !== expect) {
      issues.push({
        path,
        message: `\`${id}\` is ${article(flow.steps[index]?.type ?? '')} step; expected ${article(expect)} step`,
      });
    }
  };
  const fieldRef = (id: string, path: DescribedIssue['path']) => {
    if (!fields.has(id))
      issues.push({ path, message: `no field has the id \`${id}\`${suggest(id, [...fields.keys()])}` });
  };

  stepRef(flow.start, ['start']);
  if (flow.help !== undefined) stepRef(flow.help, ['help'], 'escalate');
  if (!flow.steps.some((s) => s.type === 'escalate')) {
    issues.push({
      path: ['steps'],
      message: 'a guide needs at least one escalate step (where "I need help now" leads)',
    });
  }
  if (!flow.steps.some((s) => s.type === 'resolve')) {
    issues.push({
      path: ['steps'],
      message: 'a guide needs at least one resolve step (where the guide worked)',
    });
  }

  const captured = new Set<string>();
  flow.steps.forEach((step, i) => {
    const at = ['steps', i] as const;
    if (step.layer !== undefined && !layers.has(step.layer)) {
      issues.push({ path: [...at, 'layer'], message: `no ladder layer has the id \`${step.layer}\`` });
    }
    for (const target of stepTargets(step)) {
      if (target.next === undefined) {
        issues.push({
          path: [...at, ...target.path],
          message: `dead end: step \`${step.id}\` is neither a resolve nor an escalate step, and ${target.what} has no \`next\``,
        });
      } else stepRef(target.next, [...at, ...target.path]);
    }
    if (step.type === 'question') checkUnique(step.choices, [...at, 'choices'], 'choice id', issues);
    const used = step.type === 'capture' ? step.fields : step.type === 'fix' ? (step.record ?? []) : [];
    const key = step.type === 'capture' ? 'fields' : 'record';
    used.forEach((id, j) => {
      fieldRef(id, [...at, key, j]);
      captured.add(id);
    });
    if (step.type === 'branch') {
      step.rules.forEach((rule, j) => {
        lintCondition(rule.when, [...at, 'rules', j, 'when'], { flow, fields, issues });
      });
    }
  });

  const itemFields = new Set<string>();
  let autoSeen = false;
  flow.capture.items.forEach((item, i) => {
    if (item.auto !== undefined) {
      if (autoSeen)
        issues.push({ path: ['capture', 'items', i], message: '`auto: steps-tried` is listed twice' });
      autoSeen = true;
    }
    (item.fields ?? []).forEach((id, j) => {
      const path = ['capture', 'items', i, 'fields', j];
      if (!fields.has(id)) fieldRef(id, path);
      else if (!captured.has(id)) {
        issues.push({
          path,
          message: `ticket field \`${id}\` is never captured: add it to a capture step's \`fields\` or a fix step's \`record\``,
        });
      }
      if (itemFields.has(id)) issues.push({ path, message: `field \`${id}\` is in two capture items` });
      itemFields.add(id);
    });
  });

  flow.fields.forEach((field, i) => {
    if (!captured.has(field.id)) {
      issues.push({ path: ['fields', i, 'id'], message: `field \`${field.id}\` is never asked by any step` });
    }
    lintFieldLimits(field, ['fields', i], issues);
  });

  lintGraph(flow, stepIndex, issues);
  return issues;
}

function lintGraph(flow: FlowDefinition, stepIndex: Map<string, number>, issues: Issues): void {
  const edges = new Map<string, string[]>();
  for (const step of flow.steps) {
    edges.set(
      step.id,
      stepTargets(step)
        .map((t) => t.next)
        .filter((n): n is string => n !== undefined && stepIndex.has(n)),
    );
  }
  const help = flow.help ?? flow.steps.find((s) => s.type === 'escalate')?.id;
  const reached = new Set<string>();
  const queue = [flow.start, ...(help ? [help] : [])].filter((id) => stepIndex.has(id));
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (reached.has(id)) continue;
    reached.add(id);
    queue.push(...(edges.get(id) ?? []));
  }
  // Steps from which a resolve or escalate step can be reached, found backwards from the terminals.
  const finishes = new Set(flow.steps.filter((s) => TERMINAL_STEP_TYPES.has(s.type)).map((s) => s.id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [id, targets] of edges) {
      if (!finishes.has(id) && targets.some((t) => finishes.has(t))) {
        finishes.add(id);
        grew = true;
      }
    }
  }
  flow.steps.forEach((step, i) => {
    if (!reached.has(step.id)) {
      issues.push({
        path: ['steps', i, 'id'],
        message: `step \`${step.id}\` is unreachable: no step leads to it`,
      });
    } else if (!finishes.has(step.id) && stepTargets(step).every((t) => t.next !== undefined)) {
      issues.push({
        path: ['steps', i, 'id'],
        message: `dead end: from step \`${step.id}\` no resolve or escalate step can be reached`,
      });
    }
  });
}

interface ConditionContext {
  flow: FlowDefinition;
  fields: Map<string, FieldDefinition>;
  issues: Issues;
}

const ORDER_OPS = ['lt', 'lte', 'gt', 'gte'] as const;
const VALUE_OPS = ['eq', 'ne', ...ORDER_OPS] as const;

function lintCondition(condition: Condition, path: DescribedIssue['path'], ctx: ConditionContext): void {
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

function lintFieldLimits(field: FieldDefinition, path: DescribedIssue['path'], issues: Issues): void {
  if (field.type === 'text' && field.pattern !== undefined) {
    try {
      new RegExp(field.pattern);
    } catch {
      issues.push({ path: [...path, 'pattern'], message: 'not a valid regular expression' });
    }
  }
  if (field.type === 'text' && field.minLength !== undefined && field.minLength > field.maxLength) {
    issues.push({ path: [...path, 'minLength'], message: 'minLength is larger than maxLength' });
  }
  if (
    field.type === 'number' &&
    field.min !== undefined &&
    field.max !== undefined &&
    field.min > field.max
  ) {
    issues.push({ path: [...path, 'min'], message: 'min is larger than max' });
  }
  if (field.type === 'duration' && field.min !== undefined && field.max !== undefined) {
    if ((parseDuration(field.min) ?? 0) > (parseDuration(field.max) ?? 0)) {
      issues.push({ path: [...path, 'min'], message: 'min is longer than max' });
    }
  }
  if (field.type === 'choice') checkUnique(field.options, [...path, 'options'], 'option id', issues);
}

function checkUnique(
  items: ReadonlyArray<{ id: string }>,
  path: DescribedIssue['path'],
  what: string,
  issues: Issues,
) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id))
      issues.push({ path: [...path, i, 'id'], message: `duplicate ${what} \`${item.id}\`` });
    seen.add(item.id);
  });
}

function article(word: string): string {
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}

function suggest(id: string, known: string[]): string {
  const near = known.filter((k) => k.startsWith(id.slice(0, 3)) || id.startsWith(k.slice(0, 3))).slice(0, 3);
  return near.length > 0 ? ` (did you mean ${near.map((k) => `\`${k}\``).join(' or ')}?)` : '';
}
