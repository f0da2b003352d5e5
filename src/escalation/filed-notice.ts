import type { DeliveryResult, OutboxEntry } from '../stores/outbox-store.ts';

/** A local file's URL means nothing to someone in Slack or Teams: such a ticket is named, not linked. */
const LOCAL = /^file:/i;

/** The sentence for one ticket: where it is, or which open ticket it was added to. */
export function filedNoticeText(result: DeliveryResult): string {
  const linked = result.linkedTo !== undefined;
  const target = result.linkedTo ?? result;
  const name = target.label ?? target.externalId;
  const link = target.url && !LOCAL.test(target.url) ? `: ${target.url}` : '';
  if (linked) {
    return name
      ? `Added to ${name}, already open for this problem${link}`
      : `Added to the ticket already open for this problem${link}`;
  }
  if (target.url && LOCAL.test(target.url)) {
    return name
      ? `Ticket filed for the support team (saved as ${name})`
      : 'Ticket filed for the support team';
  }
  return name ? `Filed as ${name}${link}` : `Ticket filed${link}`;
}

/**
 * What the conversation is told once every ticket of its escalation has been sent or given up on:
 * one line per ticket filed (a tracker or channel before a local file, which is then left out), or,
 * when none could be filed, that operators were alerted and nothing typed is lost.
 */
export function escalationNoticeText(
  tickets: ReadonlyArray<Pick<OutboxEntry, 'sink' | 'status' | 'result'>>,
  localSinks: ReadonlySet<string>,
): string {
  const filed = tickets.filter((t) => t.status === 'delivered' && t.result);
  const remote = filed.filter((t) => !localSinks.has(t.sink));
  const shown = remote.length > 0 ? remote : filed;
  if (shown.length === 0) {
    return (
      'Your ticket could not be filed yet: the support tracker did not accept it. ' +
      "fixpath's operators have been alerted and will send it again; nothing you entered is lost."
    );
  }
  return shown.map((t) => filedNoticeText(t.result as DeliveryResult)).join('\n');
}
