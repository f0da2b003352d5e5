import type { Ticket } from '../../src/escalation/ticket.ts';
import type { StepView } from '../../src/runtime/step-view.ts';

interface Turn {
  id: string;
  outcome: string;
  view: StepView;
}

async function post(url: string, body: unknown): Promise<Turn> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Turn;
}

/**
 * Escalates a guide through the web playground's HTTP API of a running server, as the page would:
 * starts it, asks for help at once ("I need help now"), and submits the ticket details. Returns the
 * ticket the engine filed (the one the sinks are sent).
 */
export async function escalateInPlayground(
  serverUrl: string,
  flowId: string,
  values: Record<string, string | number | boolean>,
): Promise<Ticket> {
  const started = await post(`${serverUrl}/api/conversations`, { flowId });
  const events = `${serverUrl}/api/conversations/${started.id}/events`;
  const help = await post(events, { event: { type: 'escalate' } });
  if (help.view.step.phase !== 'collect')
    throw new Error(`expected the ticket form, got ${help.outcome} at ${help.view.step.id}`);
  const filed = await post(events, { event: { type: 'submit', values } });
  if (filed.view.status !== 'escalated' || !filed.view.ticket)
    throw new Error(`expected a filed ticket, got ${filed.outcome}: ${JSON.stringify(filed.view.form)}`);
  return filed.view.ticket;
}
