import { MASKED, NOT_GIVEN } from '../flow/format-field-value.ts';
import { idempotencyKey, NOTICE_SINK, type TicketOutboxEntry } from './outbox.ts';
import type { Ticket } from './ticket.ts';

/** The earlier, still open escalation a new one repeats. */
export interface DuplicateMatch {
  conversationId: string;
  escalationNumber: number;
  createdAt: number;
  reason: 'same_reporter' | 'same_key_fields';
  /** The key fields whose values matched (for `same_key_fields`). */
  fields: Array<{ id: string; label: string; value: string }>;
  /** For each sink the earlier escalation went to, the outbox entry of the ticket to add to. */
  entries: Record<string, string>;
}

export interface DuplicateRules {
  /** Only escalations created at or after this time count (now minus the window, 24 h by default). */
  since: number;
  /** The guide's key capture fields: the same values in all of them make the same problem. */
  keyFields: readonly string[];
}

/**
 * Whether `ticket` repeats an open escalation of the same guide: one from the same reporter, or
 * one with the same values in every key capture field, created within the window. An escalation
 * counts as open while any of its outbox entries is not dead-lettered. The most recent match wins;
 * a match that was itself added to an older ticket leads to that older ticket. Pure.
 */
export function findDuplicate(
  ticket: Ticket,
  recent: readonly TicketOutboxEntry[],
  rules: DuplicateRules,
): DuplicateMatch | undefined {
  const ownKey = idempotencyKey(ticket);
  const escalations = new Map<string, TicketOutboxEntry[]>();
  for (const entry of recent) {
    const key = idempotencyKey(entry);
    if (key === ownKey || entry.sink === NOTICE_SINK) continue;
    if (entry.status === 'dead' || entry.createdAt < rules.since) continue;
    if (entry.ticket.guide.id !== ticket.guide.id) continue;
    escalations.set(key, [...(escalations.get(key) ?? []), entry]);
  }
  const newestFirst = [...escalations.values()].sort(
    (a, b) => (b[0]?.createdAt ?? 0) - (a[0]?.createdAt ?? 0),
  );
  for (const entries of newestFirst) {
    const first = entries[0];
    if (!first) continue;
    const earlier = first.ticket;
    const fields = sameKeyFields(ticket, earlier, rules.keyFields);
    const reason =
      earlier.reporter.id === ticket.reporter.id ? 'same_reporter' : fields ? 'same_key_fields' : undefined;
    if (!reason) continue;
    return {
      conversationId: first.conversationId,
      escalationNumber: first.escalationNumber,
      createdAt: first.createdAt,
      reason,
      fields: fields ?? [],
      entries: Object.fromEntries(entries.map((e) => [e.sink, e.linkTo ?? e.id])),
    };
  }
  return undefined;
}

/** The key fields when both tickets have the same real value in every one of them. */
function sameKeyFields(
  ticket: Ticket,
  earlier: Ticket,
  keyFields: readonly string[],
): DuplicateMatch['fields'] | undefined {
  if (keyFields.length === 0) return undefined;
  const matched: DuplicateMatch['fields'] = [];
  for (const id of keyFields) {
    const mine = fieldOf(ticket, id);
    const theirs = fieldOf(earlier, id);
    if (!mine || !theirs || !comparable(mine.value) || normalise(mine.value) !== normalise(theirs.value)) {
      return undefined;
    }
    matched.push(mine);
  }
  return matched;
}

function fieldOf(ticket: Ticket, id: string) {
  return ticket.capture.flatMap((item) => item.fields).find((field) => field.id === id);
}

/** Values that say nothing about the problem never match: missing, masked or redacted. */
function comparable(value: string): boolean {
  return value.trim() !== '' && value !== NOT_GIVEN && value !== MASKED && !value.includes('[redacted: ');
}

function normalise(value: string): string {
  return value.replace(/\s+/g, ' ').trim().toLowerCase();
}
