import type { ConversationRecord } from './conversation-record.ts';
import type { Effect } from './effect.ts';

/** What a turn did, for the adapters to act on: a resolution, a filed escalation, feedback given. */
export function turnEffects(before: ConversationRecord, after: ConversationRecord): Effect[] {
  const effects: Effect[] = [];
  const conversationId = after.id;
  if (after.status === 'resolved' && before.status !== 'resolved')
    effects.push({ type: 'resolved', conversationId });
  const filed = after.escalations[after.escalations.length - 1];
  if (after.escalations.length > before.escalations.length && filed) {
    effects.push({ type: 'escalated', conversationId, ticket: filed.ticket });
  }
  const feedback = after.snapshot.context.feedback;
  if (feedback && JSON.stringify(feedback) !== JSON.stringify(before.snapshot.context.feedback)) {
    effects.push({ type: 'feedback_given', conversationId, helpful: feedback.helpful });
  }
  return effects;
}
