/** One thing wrong with a guide file, precise enough to fix without reading code. */
export interface FlowIssue {
  file: string;
  line: number;
  column: number;
  /** The field path inside the guide, e.g. `steps[3].choices[0].next`; empty for the whole file. */
  path: string;
  message: string;
}

export type IssuePath = ReadonlyArray<string | number>;

export function formatPath(path: IssuePath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

export function formatIssue(issue: FlowIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path === '' ? `${where}: ${issue.message}` : `${where}: ${issue.path}: ${issue.message}`;
}
