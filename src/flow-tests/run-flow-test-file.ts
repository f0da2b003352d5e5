import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isFixpathError } from '../errors.ts';
import { describeSchemaIssue } from '../flow/describe-schema-issue.ts';
import { type FlowIssue, formatPath } from '../flow/flow-issue.ts';
import { loadFlowFiles } from '../flow/load-flow-files.ts';
import { parseGuideYaml } from '../flow/parse-guide-yaml.ts';
import { FlowRegistry } from '../runtime/flow-registry.ts';
import { replay } from '../runtime/replay.ts';
import { checkExpectations } from './check-expectations.ts';
import { FlowTestFile } from './flow-test-file.ts';

export interface FlowTestResult {
  name: string;
  failures: string[];
}

export type FlowTestFileResult =
  | { file: string; guide: string; results: FlowTestResult[] }
  | { file: string; issues: FlowIssue[] };

/**
 * Runs one guide test file against the guides in its folder: each test replays its events on a fresh
 * conversation and is compared with what it expects.
 */
export async function runFlowTestFile(file: string): Promise<FlowTestFileResult> {
  const parsed = parseGuideYaml(await readFile(file, 'utf8'), file);
  if (!parsed.ok) return { file, issues: parsed.issues };
  const { data, locate } = parsed.value;
  const checked = FlowTestFile.safeParse(data, { reportInput: true });
  if (!checked.success) {
    const issues = checked.error.issues.flatMap((issue) =>
      describeSchemaIssue(issue, FlowTestFile, data).map((d) => ({
        file,
        ...locate(d.path, d.key),
        path: formatPath(d.key === undefined ? d.path : [...d.path, d.key]),
        message: d.message,
      })),
    );
    return { file, issues };
  }
  const { flows, issues } = await loadFlowFiles([dirname(file)]);
  const flow = flows.find((f) => f.definition.id === checked.data.guide);
  if (!flow) {
    const broken = issues.length > 0 ? issues : [];
    const message = `no valid guide with the id "${checked.data.guide}" next to this file`;
    return { file, issues: [{ file, ...locate(['guide']), path: 'guide', message }, ...broken] };
  }
  const registry = new FlowRegistry([flow]);
  const results: FlowTestResult[] = [];
  for (const test of checked.data.tests) {
    try {
      const result = await replay(
        registry,
        flow.definition.id,
        test.events,
        test.user ? { actor: test.user } : {},
      );
      results.push({ name: test.name, failures: checkExpectations(result, test.expect) });
    } catch (err) {
      if (!isFixpathError(err, 'event_rejected')) throw err;
      results.push({ name: test.name, failures: [err.message] });
    }
  }
  return { file, guide: flow.definition.id, results };
}
