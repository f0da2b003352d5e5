import type { FlowDefinition, Step } from './flow-schema.ts';
import { stepTargets } from './step-targets.ts';

const CLASSES: Partial<Record<Step['type'], string>> = {
  resolve: 'fill:#dcfce7,stroke:#15803d,color:#14532d',
  escalate: 'fill:#fee2e2,stroke:#b91c1c,color:#7f1d1d',
  fix: 'fill:#e0f2fe,stroke:#0369a1,color:#0c4a6e',
  verify: 'fill:#fef9c3,stroke:#a16207,color:#713f12',
  capture: 'fill:#f3e8ff,stroke:#7e22ce,color:#581c87',
};

/** A Mermaid state diagram of the guide; `current` highlights the step a conversation is on. */
export function toMermaid(definition: FlowDefinition, options: { current?: string } = {}): string {
  const ids = mermaidIds(definition);
  const id = (stepId: string) => ids.get(stepId) ?? stepId;
  const lines = [
    'stateDiagram-v2',
    `  %% ${text(definition.title)} (${definition.id} v${text(definition.version)})`,
  ];
  for (const step of definition.steps) {
    if (step.type === 'branch') lines.push(`  state ${id(step.id)} <<choice>>`);
    else lines.push(`  state "${text(step.title)}" as ${id(step.id)}`);
  }
  lines.push(`  [*] --> ${id(definition.start)}`);
  for (const step of definition.steps) {
    for (const target of stepTargets(step)) {
      if (target.next === undefined) continue;
      lines.push(`  ${id(step.id)} --> ${id(target.next)}: ${text(target.label)}`);
    }
    if (step.type === 'resolve' || step.type === 'escalate') lines.push(`  ${id(step.id)} --> [*]`);
  }
  for (const [type, style] of Object.entries(CLASSES)) {
    const members = definition.steps.filter((s) => s.type === type).map((s) => id(s.id));
    if (members.length === 0) continue;
    lines.push(`  classDef ${type} ${style}`);
    lines.push(`  class ${members.join(',')} ${type}`);
  }
  if (options.current !== undefined) {
    lines.push('  classDef current stroke:#f97316,stroke-width:4px');
    lines.push(`  class ${id(options.current)} current`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Mermaid state ids for the steps: readable (`fix-x` becomes `s_fix_x`), and never two steps on one id
 * (`a-b` and `a_b` would otherwise merge).
 */
export function mermaidIds(definition: FlowDefinition): Map<string, string> {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  definition.steps.forEach((step, index) => {
    let id = `s_${step.id.replace(/-/g, '_')}`;
    if (used.has(id)) id = `${id}_${index}`;
    used.add(id);
    ids.set(step.id, id);
  });
  return ids;
}

/**
 * Text Mermaid shows as written: characters its grammar reads (`:;#"`, HTML's `<>&`) become its entity
 * codes, and the word "direction" cannot be taken for a layout statement.
 */
function text(value: string): string {
  return value
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/`/g, "'")
    .replace(/[&<>:;#"]/g, (c) => `#${c.charCodeAt(0)};`)
    .replace(/\b(d)(irection)\b/gi, (_m, d: string, rest: string) => `#${d.charCodeAt(0)};${rest}`);
}
