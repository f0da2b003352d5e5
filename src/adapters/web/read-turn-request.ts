import type { ConversationEvent } from '../../runtime/conversation-event.ts';
import type { SlackClick, SurfaceAction, WebPlaygroundDeps } from './web-playground-deps.ts';

/** What the page asked for: the event to apply, on which card (conversation and revision). */
export type TurnRequest =
  | {
      ok: true;
      event: ConversationEvent;
      revision?: number;
      conversationId?: string;
      flowId?: string;
      /** Slack's form button: after the `show` turn the page opens the modal. */
      openSlackModal?: boolean;
    }
  | { ok: false; message: string };

type Readers = Pick<WebPlaygroundDeps, 'readSlackAction' | 'readSlackModalValues' | 'readTeamsAction'>;

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_FIELDS = 100;
const MAX_TEXT = 10_000;

/**
 * Reads the body of `POST /api/conversations/:id/events`, one of:
 * - `{ event, revision?, conversationId? }`: a `ConversationEvent` as JSON (the plain API);
 * - `{ teams: data }`: the data of a clicked `Action.Execute` / `Action.Submit`, read by the Teams adapter;
 * - `{ slack: { block_id, action_id, value?, selected_option? } }`: a clicked Block Kit element, read by
 *   the Slack adapter;
 * - `{ slackModal: { values, revision, conversationId } }`: a submitted Slack modal's `state.values`.
 * Never throws; anything malformed is `{ ok: false }`.
 */
export function readTurnRequest(body: unknown, readers: Readers): TurnRequest {
  if (!isRecord(body)) return bad('the body must be a JSON object');
  if ('teams' in body) return fromSurface(readers.readTeamsAction(body.teams), 'Teams');
  if ('slack' in body) {
    const click = readSlackClick(body.slack);
    return click ? fromSurface(readers.readSlackAction(click), 'Slack') : bad('not a Block Kit action');
  }
  if ('slackModal' in body) {
    const modal = body.slackModal;
    if (!isRecord(modal) || !isRecord(modal.values)) return bad('slackModal needs values');
    const where = readCard(modal);
    if (!where) return bad('slackModal needs the revision and conversationId of its card');
    const values: Record<string, Record<string, unknown>> = {};
    for (const [blockId, actions] of Object.entries(modal.values)) {
      if (isRecord(actions)) values[blockId] = actions;
    }
    return { ok: true, event: { type: 'submit', values: readers.readSlackModalValues(values) }, ...where };
  }
  if ('event' in body) {
    const event = readEvent(body.event);
    if (!event) return bad('event is not a conversation event');
    const where = body.revision === undefined && body.conversationId === undefined ? {} : readCard(body);
    if (!where) return bad('revision must be a whole number and conversationId a string');
    const flowId = typeof body.flowId === 'string' && ID.test(body.flowId) ? { flowId: body.flowId } : {};
    return { ok: true, event, ...where, ...flowId };
  }
  return bad('send one of event, teams, slack or slackModal');
}

function fromSurface(action: SurfaceAction, surface: string): TurnRequest {
  if (action.kind === 'unknown') return bad(`the ${surface} action is not one fixpath drew`);
  const where = {
    revision: action.revision,
    conversationId: action.conversationId,
    ...(action.flowId === undefined ? {} : { flowId: action.flowId }),
  };
  if (action.kind === 'open-form')
    return { ok: true, event: { type: 'show' }, ...where, openSlackModal: true };
  return { ok: true, event: action.event, ...where };
}

function readSlackClick(value: unknown): SlackClick | undefined {
  if (!isRecord(value)) return undefined;
  const { block_id, action_id, value: text, selected_option } = value;
  if (typeof block_id !== 'string' || typeof action_id !== 'string') return undefined;
  const click: SlackClick = { block_id, action_id };
  if (typeof text === 'string') click.value = text;
  if (isRecord(selected_option) && typeof selected_option.value === 'string')
    click.selected_option = { value: selected_option.value };
  return click;
}

function readCard(body: Record<string, unknown>): { revision: number; conversationId: string } | undefined {
  const { revision, conversationId } = body;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) return undefined;
  if (typeof conversationId !== 'string' || conversationId.length > 200) return undefined;
  return { revision, conversationId };
}

/** A `ConversationEvent` from JSON, checked field by field; undefined when it is not one. */
export function readEvent(value: unknown): ConversationEvent | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'start':
      return isId(value.flowId) ? { type: 'start', flowId: value.flowId } : undefined;
    case 'choose':
      return isId(value.choice) ? { type: 'choose', choice: value.choice } : undefined;
    case 'faq':
      return isId(value.faq) ? { type: 'faq', faq: value.faq } : undefined;
    case 'feedback':
      return typeof value.helpful === 'boolean' ? { type: 'feedback', helpful: value.helpful } : undefined;
    case 'back':
    case 'restart':
    case 'escalate':
    case 'show':
      return { type: value.type };
    case 'submit':
      return readValues(value.values);
    default:
      return undefined;
  }
}

function readValues(value: unknown): ConversationEvent | undefined {
  if (!isRecord(value)) return undefined;
  const entries = Object.entries(value);
  if (entries.length > MAX_FIELDS) return undefined;
  const values: Record<string, string | number | boolean> = {};
  for (const [id, v] of entries) {
    if (!isId(id)) return undefined;
    if (typeof v === 'string' && v.length <= MAX_TEXT) values[id] = v;
    else if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) values[id] = v;
    else return undefined;
  }
  return { type: 'submit', values };
}

const bad = (message: string): TurnRequest => ({ ok: false, message });

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}
