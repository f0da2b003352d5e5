import { toMermaid } from '../../flow/to-mermaid.ts';
import type { TurnInput } from '../../runtime/conversation-event.ts';
import type { TurnResult } from '../../runtime/create-engine.ts';
import { runTurn } from '../../runtime/run-turn.ts';
import type { StepView } from '../../runtime/step-view.ts';
import type { WebPlaygroundDeps } from './web-playground-deps.ts';

/** What the page gets back from every turn: the view, and each surface's rendering of it. */
export interface TurnPayload {
  /** The conversation's id in the page's URL fragment (its store key is `web:<id>`). */
  id: string;
  outcome: TurnResult['outcome'];
  /** For `rejected`: why, and what the step accepts. */
  reason?: string;
  accepts?: string[];
  view: StepView;
  /** The Slack adapter's message for the view: `{ text, blocks }`. */
  slack: unknown;
  /** The Slack form modal, when the view has a form. */
  slackModal: unknown;
  /** Open the Slack modal now (its "Fill in…" button was clicked and the card is current). */
  openSlackModal: boolean;
  /** The Teams adapter's Adaptive Card for the view. */
  teams: unknown;
  /** The guide's diagram with the current step highlighted; null when the view has no guide. */
  mermaid: string | null;
}

/**
 * Runs one playground turn like the chat adapters do (a store conflict is computed again on the new
 * version, up to three times), reports it to the observer (metrics, and the outbox's wake-up after
 * an escalation), and renders the result for both surfaces.
 */
export async function runWebTurn(
  deps: WebPlaygroundDeps,
  id: string,
  input: TurnInput,
  options: { openSlackModal?: boolean } = {},
): Promise<TurnPayload> {
  const log = deps.logger.child({ platform: 'web', conversationKey: input.key });
  const result = await runTurn(deps.engine, input, { log, platform: 'web', observer: deps.observer });
  const { view } = result;
  return {
    id,
    outcome: result.outcome,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    ...(result.accepts === undefined ? {} : { accepts: result.accepts }),
    view,
    slack: deps.renderSlack(view),
    slackModal: view.form ? deps.renderSlackModal(view) : null,
    openSlackModal: options.openSlackModal === true && result.outcome === 'unchanged' && view.form !== null,
    teams: deps.renderTeams(view),
    mermaid: await diagramOf(deps, view),
  };
}

/** The diagram of the guide version the conversation runs on, with its current step highlighted. */
async function diagramOf(deps: WebPlaygroundDeps, view: StepView): Promise<string | null> {
  if (!view.flow) return null;
  const { flows } = deps.engine;
  const flow = await flows.byHash(view.flow.hash).catch(() => flows.find(view.flow?.id ?? ''));
  if (!flow) return null;
  const onStep = flow.steps.has(view.step.id);
  return toMermaid(flow.definition, onStep ? { current: view.step.id } : {});
}
