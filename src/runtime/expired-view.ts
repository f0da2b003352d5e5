import { formatDuration } from '../flow/duration.ts';
import type { StepView } from './step-view.ts';

/**
 * What a user sees when they come back to a conversation that cannot go on: it ended for lack of
 * answers, or the guide version it ran on is no longer known to this deployment.
 */
export function expiredView(options: {
  idleMs: number;
  flow: { id: string; title: string } | undefined;
  conversationId: string | null;
  reason?: 'idle' | 'guide_changed';
}): StepView {
  const { flow } = options;
  const text =
    options.reason === 'guide_changed'
      ? 'The guide was updated since this conversation started, and its old version is no longer available. Start again to walk the current guide.'
      : `Conversations end after ${formatDuration(options.idleMs)} without an answer, and this one has. Start again to walk the guide from the beginning.`;
  return {
    conversationId: options.conversationId,
    revision: 0,
    status: 'expired',
    flow: null,
    step: { id: 'expired', type: 'expired' },
    title:
      options.reason === 'guide_changed' ? 'This conversation cannot continue' : 'This conversation expired',
    blocks: [{ kind: 'text', text }],
    prompt: null,
    choices: flow
      ? [
          {
            id: 'start-again',
            label: startAgainLabel(flow.title),
            style: 'primary',
            event: { type: 'start', flowId: flow.id },
          },
        ]
      : [],
    form: null,
    note: null,
    progress: null,
    layer: null,
    history: [],
    actions: [],
    faq: [],
    faqAnswer: null,
    feedback: null,
    ticket: null,
    notice: null,
  };
}

function startAgainLabel(title: string): string {
  const label = `Start again: ${title}`;
  return label.length <= 75 ? label : `${label.slice(0, 74)}…`;
}
