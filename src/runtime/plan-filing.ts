import { duplicateNotice } from '../escalation/duplicate-notice.ts';
import { findDuplicate } from '../escalation/find-duplicate.ts';
import type { NewTicketOutboxEntry } from '../escalation/outbox.ts';
import { planOutboxEntries } from '../escalation/plan-outbox-entries.ts';
import type { ConversationRecord } from './conversation-record.ts';
import type { EngineOptions } from './create-engine.ts';
import { guardStore } from './guard-store.ts';

/** How far back an open escalation makes a new one of the same guide a duplicate. */
export const DEFAULT_DUPLICATE_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface FilingPlan {
  /** One per sink (and the conversation's notice), saved with the transition. */
  entries: NewTicketOutboxEntry[];
  /** What the person is told on the card when the escalation repeats an open one. */
  notice: string | undefined;
}

/**
 * The outbox entries for the escalation a transition filed, if it filed one and its guide has sinks:
 * linked to the open escalation it repeats, when duplicate detection finds one.
 */
export async function planFiling(
  before: ConversationRecord,
  after: ConversationRecord,
  options: Pick<EngineOptions, 'sinksFor' | 'notifies' | 'duplicates'> & { at: number },
): Promise<FilingPlan | undefined> {
  const filed = after.escalations.length > before.escalations.length ? after.escalations.at(-1) : undefined;
  const sinks = filed ? (options.sinksFor?.(after.flowId) ?? []) : [];
  if (!filed || sinks.length === 0) return undefined;
  const { at, duplicates } = options;
  let duplicate: ReturnType<typeof findDuplicate>;
  if (duplicates) {
    const since = at - (duplicates.windowMs ?? DEFAULT_DUPLICATE_WINDOW_MS);
    const recent = await guardStore(() => duplicates.outbox.recent(filed.ticket.guide.id, since));
    const keyFields = duplicates.keyFieldsFor?.(after.flowId) ?? [];
    duplicate = findDuplicate(filed.ticket, recent, { since, keyFields });
  }
  const entries = planOutboxEntries({
    conversationKey: after.key,
    ticket: filed.ticket,
    sinks,
    duplicate,
    notice: options.notifies?.(after.key) ?? false,
    now: at,
  });
  const linked = entries.some((entry) => entry.linkTo !== undefined);
  return { entries, notice: duplicate && linked ? duplicateNotice(duplicate, at) : undefined };
}
