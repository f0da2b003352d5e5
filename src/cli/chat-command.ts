import * as fs from 'node:fs/promises';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import { runChat } from '../adapters/cli/run-chat.ts';
import { loadConfig } from '../config.ts';
import { FixpathError } from '../errors.ts';
import { planOutboxEntries } from '../escalation/plan-outbox-entries.ts';
import { FileSink } from '../escalation/sinks/file-sink.ts';
import type { ConversationRecord } from '../runtime/conversation-record.ts';
import { createEngine } from '../runtime/create-engine.ts';
import { MemoryConversationStore } from '../stores/memory/memory-conversation-store.ts';
import type { CliIo } from './cli-io.ts';
import type { CommandArgs } from './main.ts';
import { openGuide } from './open-guides.ts';

/**
 * `fixpath chat <guide>`: walk a guide interactively in this terminal. An escalation's ticket is printed
 * and saved as a Markdown file in the tickets folder (FIXPATH_TICKETS_DIR), as the server's file sink does.
 */
export async function chatCommand(
  args: CommandArgs,
  io: CliIo,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const [guide] = args.positionals;
  if (guide === undefined) throw new FixpathError('usage', 'name a guide id or file: fixpath chat <guide>');
  const tickets = new FileSink({ dir: resolve(io.cwd, loadConfig(env).ticketsDir), files: fs });
  const { flow, registry } = await openGuide(guide, { cwd: io.cwd, flowsDir: args.flowsDir });
  const engine = createEngine({ flows: registry, store: new MemoryConversationStore<ConversationRecord>() });
  const name = safeUserName();
  await runChat({
    engine,
    flowId: flow.definition.id,
    input: io.stdin,
    output: io.stdout,
    actor: { id: name, name },
    afterTurn: async (result, conversationKey) => {
      const saved: string[] = [];
      for (const effect of result.effects) {
        if (effect.type !== 'escalated') continue;
        const [entry] = planOutboxEntries({
          conversationKey,
          ticket: effect.ticket,
          sinks: [tickets.name],
          now: Date.now(),
        });
        if (!entry) continue;
        const filed = await tickets.deliver({ ...entry, status: 'pending', attempts: 1 });
        saved.push(`The ticket is saved as ${String(filed.details?.path ?? filed.label)}`);
      }
      return saved.length > 0 ? saved.join('\n') : undefined;
    },
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
