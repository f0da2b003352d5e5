import type { DescribedIssue } from './describe-schema-issue.ts';
import { parseDuration } from './duration.ts';
import type { FieldDefinition, FlowDefinition, Step } from './flow-schema.ts';
import { lintCondition } from './lint-condition.ts';
import { stepTargets, TERMINAL_STEP_TYPES } from './step-targets.ts';
import { article, suggest } from './wording.ts';

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

  const titleField = flow.capture.titleField;
  if (titleField !== undefined) {
    const field = fields.get(titleField);
    if (!field) fieldRef(titleField, ['capture', 'titleField']);
    else if (field.type !== 'text' && field.type !== 'choice') {
      issues.push({
        path: ['capture', 'titleField'],
        message: `\`${titleField}\` is ${article(field.type)} field; a title needs a text or choice field`,
      });
    }
  }

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
