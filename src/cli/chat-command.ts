import { userInfo } from 'node:os';
import { runChat } from '../adapters/cli/run-chat.ts';
import { FixpathError } from '../errors.ts';
import type { ConversationRecord } from '../runtime/conversation-record.ts';
import { createEngine } from '../runtime/create-engine.ts';
import { MemoryConversationStore } from '../stores/memory/memory-conversation-store.ts';
import type { CliIo } from './cli-io.ts';
import type { CommandArgs } from './main.ts';
import { openGuide } from './open-guides.ts';

/** `fixpath chat <guide>`: walk a guide interactively in this terminal. */
export async function chatCommand(args: CommandArgs, io: CliIo): Promise<number> {
  const [guide] = args.positionals;
  if (guide === undefined) throw new FixpathError('usage', 'name a guide id or file: fixpath chat <guide>');
  const { flow, registry } = await openGuide(guide, { cwd: io.cwd, flowsDir: args.flowsDir });
  const engine = createEngine({ flows: registry, store: new MemoryConversationStore<ConversationRecord>() });
  const name = safeUserName();
  await runChat({
    engine,
    flowId: flow.definition.id,
    input: io.stdin,
    output: io.stdout,
    actor: { id: name, name },
  });
  return 0;
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'terminal';
  }
}
