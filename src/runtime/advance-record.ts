import { buildTicket } from '../escalation/build-ticket.ts';
import type { CompiledFlow } from '../machine/compile-flow.ts';
import type { TurnInput } from './conversation-event.ts';
import type { ConversationRecord } from './conversation-record.ts';
import { currentPosition } from './current-position.ts';

/** The record after a transition: new snapshot and status, plus the ticket when it was just filed. */
export function advanceRecord(
  flow: CompiledFlow,
  record: ConversationRecord,
  value: ConversationRecord['snapshot']['value'],
  context: ConversationRecord['snapshot']['context'],
  at: string,
  input: TurnInput,
): ConversationRecord {
  const { stepId, phase } = currentPosition(value);
  const type = flow.steps.get(stepId)?.type;
  const status =
    type === 'resolve' ? 'resolved' : type === 'escalate' && phase === 'filed' ? 'escalated' : 'active';
  const updated: ConversationRecord = { ...record, snapshot: { value, context }, status, updatedAt: at };
  if (status === 'escalated' && record.status !== 'escalated') {
    const number = record.escalations.length + 1;
    const ticket = buildTicket({
      flow,
      answers: context.answers,
      stepId,
      conversationId: record.id,
      escalationNumber: number,
      reporter: input.actor,
      createdAt: at,
    });
    updated.escalations = [...record.escalations, { number, ticket }];
  }
  return updated;
}
