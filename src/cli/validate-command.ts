import { resolve } from 'node:path';
import { formatIssue } from '../flow/flow-issue.ts';
import { loadFlowFiles } from '../flow/load-flow-files.ts';
import { compileFlow } from '../machine/compile-flow.ts';
import { type CliIo, write } from './cli-io.ts';
import type { CommandArgs } from './main.ts';

/** `fixpath validate [paths…]`: every issue of every file, then a one-line verdict. */
export async function validateCommand(args: CommandArgs, io: CliIo): Promise<number> {
  const paths = args.positionals.length > 0 ? args.positionals : [args.flowsDir ?? 'flows'];
  const { flows, issues } = await loadFlowFiles(paths.map((p) => resolve(io.cwd, p)));
  for (const issue of issues) write(io.stderr, formatIssue({ ...issue, file: relative(io.cwd, issue.file) }));
  for (const flow of flows) {
    compileFlow(flow);
    write(
      io.stdout,
      `ok  ${relative(io.cwd, flow.file)}  (${flow.definition.id} v${flow.definition.version}, ${flow.definition.steps.length} steps)`,
    );
  }
  const broken = new Set(issues.map((i) => i.file)).size;
  if (issues.length > 0) {
    write(
      io.stderr,
      `\n${issues.length} problem${issues.length === 1 ? '' : 's'} in ${broken} file${broken === 1 ? '' : 's'}`,
    );
    return 1;
  }
  write(io.stdout, `${flows.length} guide${flows.length === 1 ? '' : 's'} valid`);
  return 0;
}

function relative(cwd: string, file: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}
