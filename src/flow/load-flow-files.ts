import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { FixpathError } from '../errors.ts';
import type { FlowIssue } from './flow-issue.ts';
import { type CheckedFlow, readFlow } from './read-flow.ts';

export interface LoadFlowFilesResult {
  flows: CheckedFlow[];
  issues: FlowIssue[];
}

const isGuideFile = (name: string) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name);

/** Expands folders into their guide files (`*.yaml`, not `*.test.yaml`), sorted, and files as given. */
export async function listGuideFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch((cause: unknown) => {
      throw new FixpathError('flow_not_found', `${path}: no such file or folder`, { cause });
    });
    if (info.isDirectory()) {
      const names = (await readdir(path)).filter(isGuideFile).sort();
      files.push(...names.map((name) => join(path, name)));
    } else files.push(path);
  }
  return files;
}

/** Reads every guide under `paths`, collecting all issues of all files instead of stopping at the first. */
export async function loadFlowFiles(paths: readonly string[]): Promise<LoadFlowFilesResult> {
  const flows: CheckedFlow[] = [];
  const issues: FlowIssue[] = [];
  for (const file of await listGuideFiles(paths)) {
    const result = readFlow(await readFile(file, 'utf8'), file);
    if (result.ok) flows.push(result.flow);
    else issues.push(...result.issues);
  }
  const seen = new Map<string, string>();
  for (const flow of flows) {
    const other = seen.get(flow.definition.id);
    if (other !== undefined) {
      issues.push({
        file: flow.file,
        line: 1,
        column: 1,
        path: 'id',
        message: `guide id \`${flow.definition.id}\` is also used by ${other}`,
      });
    }
    seen.set(flow.definition.id, flow.file);
  }
  return { flows, issues };
}
