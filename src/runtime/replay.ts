import { FixpathError } from '../errors.ts';
import type { Actor } from '../machine/flow-context.ts';
import { MemoryConversationStore } from '../stores/memory/memory-conversation-store.ts';
import { accepted } from './accepted-events.ts';
import type { ConversationEvent } from './conversation-event.ts';
import type { ConversationRecord } from './conversation-record.ts';
import { createEngine, type Engine } from './create-engine.ts';
import type { FlowRegistry } from './flow-registry.ts';
import { matchLabel } from './match-label.ts';
import type { ScriptEvent } from './script-event.ts';
import type { StepView } from './step-view.ts';

export interface ReplayResult {
  guide: string;
  version: string;
  status: 'active' | 'resolved' | 'escalated';
  node: string;
  views: StepView[];
  ticket: null | {
    title: string;
    markdown: string;
    fields: Record<string, string>;
    stepsTried: Array<{ step: string; outcome: string }>;
  };
}

const DEFAULT_ACTOR: Actor = { id: 'replay', name: 'Replay' };

/**
 * Walks a guide from the start through scripted events on a fresh in-memory store. An event that does
 * not fit the step it meets throws `event_rejected`, naming the event and what the step accepts.
 */
export async function replay(
  flows: FlowRegistry,
  flowId: string,
  events: readonly ScriptEvent[],
  options: { actor?: Actor; engine?: Engine } = {},
): Promise<ReplayResult> {
  const actor = options.actor ?? DEFAULT_ACTOR;
  const engine =
    options.engine ??
    createEngine({ flows, store: new MemoryConversationStore<ConversationRecord>(), now: () => new Date() });
  const key = `replay:${flowId}`;
  const first = await engine.turn({ key, event: { type: 'start', flowId }, actor });
  const views = [first.view];
  let view = first.view;
  for (const [index, scripted] of events.entries()) {
    const event = resolveEvent(view, scripted, index);
    const result = await engine.turn({ key, event, actor });
    if (result.outcome === 'rejected' || result.outcome === 'invalid') {
      const detail =
        result.outcome === 'invalid'
          ? Object.entries(result.view.form?.errors ?? {})
              .map(([field, error]) => `${field}: ${error.replace(/\.$/, '')}`)
              .join('; ')
          : (result.reason ?? 'not accepted');
      throw rejection(index, scripted, view, detail);
    }
    view = result.view;
    views.push(view);
  }
  const flow = flows.current(flowId);
  const ticket = view.ticket;
  return {
    guide: flowId,
    version: flow.definition.version,
    status: view.status === 'expired' ? 'active' : view.status,
    node: view.step.id,
    views,
    ticket: ticket && {
      title: ticket.title,
      markdown: ticket.markdown,
      fields: Object.fromEntries(ticket.capture.flatMap((item) => item.fields.map((f) => [f.id, f.value]))),
      stepsTried: ticket.stepsTried.map((s) => ({ step: s.step, outcome: s.outcome })),
    },
  };
}

/** Maps a scripted event onto the current view: labels to ids, field labels to field ids. */
function resolveEvent(view: StepView, scripted: ScriptEvent, index: number): ConversationEvent {
  if ('back' in scripted) return { type: 'back' };
  if ('restart' in scripted) return { type: 'restart' };
  if ('escalate' in scripted) return { type: 'escalate' };
  if ('feedback' in scripted)
    return { type: 'feedback', helpful: scripted.feedback === true || scripted.feedback === 'yes' };
  if ('faq' in scripted) {
    const found = matchLabel(view.faq, scripted.faq, (f) => ({ id: f.id, label: f.question }));
    if ('match' in found) return { type: 'faq', faq: found.match.id };
    throw rejection(
      index,
      scripted,
      view,
      describeMiss(found, 'FAQ entry', (f) => f.question),
    );
  }
  if ('choose' in scripted) {
    const found = matchLabel(view.choices, scripted.choose, (c) => c);
    if ('match' in found) return found.match.event;
    throw rejection(
      index,
      scripted,
      view,
      describeMiss(found, 'choice', (c) => c.label),
    );
  }
  const fields = view.form?.fields ?? [];
  const values: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(scripted.submit)) {
    const found = matchLabel(fields, name, (f) => f);
    if ('ambiguous' in found)
      throw rejection(
        index,
        scripted,
        view,
        describeMiss(found, 'field', (f) => f.label),
      );
    values['match' in found ? found.match.id : name] = value;
  }
  return { type: 'submit', values };
}

function describeMiss<T>(
  found: { ambiguous: T[] } | { none: true },
  what: string,
  label: (item: T) => string,
): string {
  return 'ambiguous' in found
    ? `it matches more than one ${what}: ${found.ambiguous.map((item) => `"${label(item)}"`).join(', ')}`
    : `no ${what} matches it`;
}

function rejection(index: number, scripted: ScriptEvent, view: StepView, detail: string): FixpathError {
  return new FixpathError(
    'event_rejected',
    `event ${index + 1} ${JSON.stringify(scripted)} does not fit step "${view.step.id}" (${view.title}): ${detail.replace(/\.$/, '')}.\n` +
      `It accepts: ${accepted(view).join('; ')}`,
  );
}
