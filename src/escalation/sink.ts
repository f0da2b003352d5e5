import type { DeliveryResult } from '../stores/outbox-store.ts';
import type { TicketOutboxEntry } from './outbox.ts';

/**
 * How fast a sink may create content. The deliverer spaces its writes (tickets and comments, not
 * look-ups) to stay inside every limit given; GitHub, for one, allows 80 content-creating requests
 * a minute and 500 an hour, at least a second apart.
 */
export interface WriteLimits {
  perMinute?: number;
  perHour?: number;
  minIntervalMs?: number;
}

/**
 * The port every ticket destination implements: GitHub, Jira, a webhook, Markdown files, a Slack or
 * Teams channel. A sink formats the ticket for its destination and sends it once per call; retries,
 * backoff, write limits and recording the result are the deliverer's. Failures are `DeliveryError`s
 * that say whether trying again can help and when.
 *
 * The ticket in an entry was built by `buildTicket`, so every text a user typed is already redacted;
 * a sink formats only those fields.
 */
export interface EscalationSink {
  /** The name outbox entries carry for this sink (`github`, `jira`, `slack-channel`…). */
  readonly name: string;
  readonly writeLimits?: WriteLimits;
  /** Files the ticket and says where: key, number or message ts, and a URL when there is one. */
  deliver(entry: TicketOutboxEntry): Promise<DeliveryResult>;
  /**
   * Looks for what an earlier attempt at this entry may have filed before it could be recorded (a
   * crash, a timeout after the remote accepted): the ticket, or with `target` the comment on it.
   * The deliverer asks before every attempt after the first.
   */
  findExisting?(entry: TicketOutboxEntry, target?: DeliveryResult): Promise<DeliveryResult | undefined>;
  /**
   * When the entry can be sent: undefined for now, or a time to look again (the deliverer gives the
   * entry back untried until then). The conversation notice waits for its escalation's tickets.
   */
  readyAt?(entry: TicketOutboxEntry): Promise<number | undefined>;
  /** Adds this escalation's details to the ticket `target` it repeats, instead of filing another. */
  comment?(target: DeliveryResult, entry: TicketOutboxEntry): Promise<DeliveryResult>;
}
