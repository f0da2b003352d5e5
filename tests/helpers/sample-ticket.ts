import type { Ticket } from '../../src/escalation/ticket.ts';
import type { ConversationRecord } from '../../src/runtime/conversation-record.ts';
import { createEngine } from '../../src/runtime/create-engine.ts';
import { FlowRegistry } from '../../src/runtime/flow-registry.ts';
import { MemoryConversationStore } from '../../src/stores/memory/memory-conversation-store.ts';
import { escalate, otherProblem } from './escalate.ts';
import { ADA } from './guides.ts';

/** A real ticket, built by the engine from the other-problem guide with the values given. */
export async function sampleTicket(values: Parameters<typeof escalate>[3] = {}): Promise<Ticket> {
  const store = new MemoryConversationStore<ConversationRecord>();
  const engine = createEngine({
    flows: new FlowRegistry([otherProblem()]),
    store,
    now: () => new Date('2026-03-02T09:00:00Z'),
  });
  await escalate(engine, 'sample', ADA, values);
  const ticket = (await store.load('sample'))?.value.escalations[0]?.ticket;
  if (!ticket) throw new Error('no ticket was filed');
  return ticket;
}
