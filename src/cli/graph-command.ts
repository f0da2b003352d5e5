import { FixpathError } from '../errors.ts';
import { toMermaid } from '../flow/to-mermaid.ts';
import { type CliIo, write } from './cli-io.ts';
import type { CommandArgs } from './main.ts';
import { openGuide } from './open-guides.ts';

/** `fixpath graph <guide>`: the guide as a Mermaid state diagram on stdout. */
export async function graphCommand(args: CommandArgs, io: CliIo): Promise<number> {
  const [guide] = args.positionals;
  if (guide === undefined) throw new FixpathError('usage', 'name a guide id or file: fixpath graph <guide>');
  const { flow } = await openGuide(guide, { cwd: io.cwd, flowsDir: args.flowsDir });
  write(io.stdout, toMermaid(flow.definition));
  return 0;
}
