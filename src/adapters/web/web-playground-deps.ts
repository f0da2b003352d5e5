import type { Logger } from '../../logger.ts';
import type { Actor } from '../../machine/flow-context.ts';
import type { ConversationEvent } from '../../runtime/conversation-event.ts';
import type { Engine } from '../../runtime/create-engine.ts';
import type { StepView } from '../../runtime/step-view.ts';
import type { TurnObserver } from '../../runtime/turn-observer.ts';

/**
 * What a click on a Slack or Teams rendering means, as those adapters read it: the playground never
 * parses platform payloads itself (adapters do not import each other), the composition root hands it
 * the Slack and Teams readers, whose results fit this shape.
 */
export type SurfaceAction =
  | { kind: 'event'; conversationId: string; revision: number; flowId?: string; event: ConversationEvent }
  /** Slack's "Fill in…" button: open the form modal for the card's conversation and revision. */
  | { kind: 'open-form'; conversationId: string; revision: number; flowId?: string }
  | { kind: 'unknown' };

/** A clicked Block Kit element, as the page reports it (the fields of a `block_actions` action). */
export interface SlackClick {
  block_id: string;
  action_id: string;
  value?: string;
  selected_option?: { value: string };
}

export interface WebPlaygroundDeps {
  engine: Engine;
  logger: Logger;
  /** The Slack adapter's step message renderer: `{ text, blocks }`. */
  renderSlack: (view: StepView) => unknown;
  /** The Slack adapter's form modal for a view with a form (a `modal` view with input blocks). */
  renderSlackModal: (view: StepView) => unknown;
  /** The Teams adapter's step card: Adaptive Card JSON. */
  renderTeams: (view: StepView) => unknown;
  /** The Slack adapter's reader of a clicked button or select. */
  readSlackAction: (click: SlackClick) => SurfaceAction;
  /** The Slack adapter's reader of a modal's `view.state.values`: field id → value. */
  readSlackModalValues: (values: Record<string, Record<string, unknown>>) => Record<string, string | boolean>;
  /** The Teams adapter's reader of an `Action.Execute` / `Action.Submit` data object (inputs merged in). */
  readTeamsAction: (data: unknown) => SurfaceAction;
  /** Told about every turn (metrics); optional. */
  observer?: TurnObserver;
  /**
   * Host names the page and API answer to (default: localhost, 127.0.0.1 and [::1]), so a web page
   * elsewhere cannot reach the playground by pointing its own host name at this machine.
   */
  allowedHosts?: readonly string[];
  /** Who the playground's turns are by (default: "Playground user"). */
  actor?: Actor;
  newId?: () => string;
}
