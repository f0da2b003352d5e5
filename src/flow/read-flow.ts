import { createHash } from 'node:crypto';
import { describeSchemaIssue } from './describe-schema-issue.ts';
import { type FlowIssue, formatPath } from './flow-issue.ts';
import { FlowDefinition } from './flow-schema.ts';
import { lintFlow } from './lint-flow.ts';
import { parseGuideYaml } from './parse-guide-yaml.ts';

/** A guide that passed every check, with the hash that pins conversations to this exact content. */
export interface CheckedFlow {
  definition: FlowDefinition;
  /** sha256 of the canonical definition (comments and formatting do not change it), 16 hex digits. */
  hash: string;
  file: string;
  source: string;
}

export type ReadFlowResult = { ok: true; flow: CheckedFlow } | { ok: false; issues: FlowIssue[] };

/** Parses, validates and cross-checks one guide file's text. Never throws for bad input. */
export function readFlow(source: string, file: string): ReadFlowResult {
  const parsed = parseGuideYaml(source, file);
  if (!parsed.ok) return parsed;
  const { data, locate } = parsed.value;
  const toIssue = (path: Array<string | number>, message: string, key?: string): FlowIssue => ({
    file,
    ...locate(path, key),
    path: formatPath(key === undefined ? path : [...path, key]),
    message,
  });

  const result = FlowDefinition.safeParse(data, { reportInput: true });
  if (!result.success) {
    const issues = result.error.issues.flatMap((issue) =>
      describeSchemaIssue(issue, FlowDefinition, data).map((d) => toIssue([...d.path], d.message, d.key)),
    );
    return { ok: false, issues: sortIssues(issues) };
  }
  const lint = lintFlow(result.data);
  if (lint.length > 0)
    return { ok: false, issues: sortIssues(lint.map((d) => toIssue([...d.path], d.message, d.key))) };
  return { ok: true, flow: { definition: result.data, hash: contentHash(result.data), file, source } };
}

export function contentHash(definition: FlowDefinition): string {
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex').slice(0, 16);
}

function sortIssues(issues: FlowIssue[]): FlowIssue[] {
  return issues.sort((a, b) => a.line - b.line || a.column - b.column);
}
