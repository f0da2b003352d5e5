import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { text } from 'node:stream/consumers';
import { FixpathError } from '../errors.ts';
import { replay } from '../runtime/replay.ts';
import { ScriptEvents } from '../runtime/script-event.ts';
import { type CliIo, write } from './cli-io.ts';
import type { CommandArgs } from './main.ts';
import { openGuide } from './open-guides.ts';

/** `fixpath replay <guide> --events <file|->`: scripted events in, one JSON document out. */
export async function replayCommand(args: CommandArgs, io: CliIo): Promise<number> {
  const [guide] = args.positionals;
  if (guide === undefined || args.events === undefined) {
    throw new FixpathError('usage', 'usage: fixpath replay <guide-id|file> --events <file|->');
  }
  const source = args.events === '-' ? await text(io.stdin) : await readEvents(resolve(io.cwd, args.events));
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (cause) {
    throw new FixpathError('usage', `the events are not JSON: ${(cause as Error).message}`, { cause });
  }
  if (!Array.isArray(json)) {
    throw new FixpathError(
      'usage',
      'the events must be a JSON list, e.g. [{"choose": "follow"}, {"back": true}]',
    );
  }
  const events = ScriptEvents.safeParse(json);
  if (!events.success) {
    const first = events.error.issues[0];
    const where = first?.path.length ? `event ${Number(first.path[0]) + 1}` : 'the events';
    throw new FixpathError(
      'usage',
      `${where} is not one of {"choose": …}, {"submit": {…}}, {"back": true}, {"restart": true}, {"escalate": true}, {"faq": …}, {"feedback": "yes"|"no"|true|false}`,
    );
  }
  const { flow, registry } = await openGuide(guide, { cwd: io.cwd, flowsDir: args.flowsDir });
  const result = await replay(registry, flow.definition.id, events.data);
  write(io.stdout, JSON.stringify(result, null, 2));
  return 0;
}

async function readEvents(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (cause) {
    throw new FixpathError('usage', `cannot read the events file ${path}`, { cause });
  }
}
