import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { FixpathError } from '../errors.ts';
import { formatIssue } from '../flow/flow-issue.ts';
import { loadFlowFiles } from '../flow/load-flow-files.ts';
import { FlowRegistry } from '../runtime/flow-registry.ts';

/**
 * Loads the guides a command works on. `guide` is a guide id (looked up in the flows folder) or a path
 * to a guide file. Invalid guides stop the command with every issue listed.
 */
export async function openGuide(guide: string, options: { cwd: string; flowsDir?: string }) {
  const asFile = resolve(options.cwd, guide);
  const isFile = /\.ya?ml$/.test(guide) || guide.includes('/');
  const paths = isFile ? [asFile] : [resolve(options.cwd, options.flowsDir ?? 'flows')];
  if (isFile && !existsSync(asFile)) throw new FixpathError('flow_not_found', `${guide}: no such guide file`);
  const { flows, issues } = await loadFlowFiles(paths);
  const chosen = isFile ? flows[0] : flows.find((f) => f.definition.id === guide);
  // A broken guide elsewhere in the folder does not stop walking a good one.
  const ownIssues = isFile || !chosen ? issues : [];
  if (ownIssues.length > 0) throw new FixpathError('flow_invalid', ownIssues.map(formatIssue).join('\n'));
  if (!chosen) {
    const known = flows.map((f) => f.definition.id).join(', ') || 'none';
    throw new FixpathError('flow_not_found', `no guide has the id "${guide}" (guides: ${known})`);
  }
  return { flow: chosen, registry: new FlowRegistry([chosen]) };
}
