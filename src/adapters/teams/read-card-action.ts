import type { ConversationEvent } from '../../runtime/conversation-event.ts';
import { FIELD_INPUT_PREFIX, PAYLOAD_KEY } from './card-action.ts';
import { jsonBytes, TEAMS_CARD_LIMITS } from './card-limits.ts';

export type CardAction =
  | {
      kind: 'event';
      conversationId: string;
      revision: number;
      /** The guide the card belonged to, for `TurnInput.flowId`. */
      flowId?: string;
      event: ConversationEvent;
    }
  | { kind: 'unknown' };

const UNKNOWN: CardAction = { kind: 'unknown' };
/** Ids of guides, steps, choices, FAQ entries and fields, loosely: what fixpath puts in its cards. */
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const MAX_CONVERSATION_ID = 200;

type Data = Record<string, unknown>;
type Value = string | number | boolean;

/**
 * Reads the data of a clicked card action: an `Action.Execute` invoke's `value.action.data`, or an
 * `Action.Submit` message's `value`. Both hold `{ fixpath: { c, v, f?, e } }` with the card's inputs
 * merged in beside it; a submit's `field:<id>` inputs become the event's values ('true' and 'false'
 * from yes/no inputs become booleans). Anything else, malformed or oversized is `unknown`; never throws.
 */
export function readCardAction(data: unknown): CardAction {
  try {
    return read(data);
  } catch {
    return UNKNOWN;
  }
}

function read(data: unknown): CardAction {
  if (!isData(data) || jsonBytes(data) > TEAMS_CARD_LIMITS.actionDataBytes) return UNKNOWN;
  const payload = data[PAYLOAD_KEY];
  if (!isData(payload)) return UNKNOWN;
  const { c, v, f, e } = payload;
  if (typeof c !== 'string' || c.length > MAX_CONVERSATION_ID) return UNKNOWN;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) return UNKNOWN;
  if (f !== undefined && !isId(f)) return UNKNOWN;
  const event = readEvent(e, data);
  if (!event) return UNKNOWN;
  return { kind: 'event', conversationId: c, revision: v, ...(f === undefined ? {} : { flowId: f }), event };
}

function readEvent(e: unknown, data: Data): ConversationEvent | undefined {
  if (!isData(e)) return undefined;
  switch (e.type) {
    case 'start':
      return isId(e.flowId) ? { type: 'start', flowId: e.flowId } : undefined;
    case 'choose':
      return isId(e.choice) ? { type: 'choose', choice: e.choice } : undefined;
    case 'faq':
      return isId(e.faq) ? { type: 'faq', faq: e.faq } : undefined;
    case 'feedback':
      return typeof e.helpful === 'boolean' ? { type: 'feedback', helpful: e.helpful } : undefined;
    case 'back':
    case 'restart':
    case 'escalate':
    case 'show':
      return { type: e.type };
    case 'submit':
      return { type: 'submit', values: formValues(data) };
    default:
      return undefined;
  }
}

/** The `field:<id>` inputs, by field id. Inputs of other names and non-scalar values are not ours. */
function formValues(data: Data): Record<string, Value> {
  const values: Record<string, Value> = {};
  for (const [key, raw] of Object.entries(data)) {
    if (!key.startsWith(FIELD_INPUT_PREFIX)) continue;
    const id = key.slice(FIELD_INPUT_PREFIX.length);
    if (!isId(id)) continue;
    if (typeof raw === 'string') values[id] = raw === 'true' ? true : raw === 'false' ? false : raw;
    else if (typeof raw === 'boolean' || (typeof raw === 'number' && Number.isFinite(raw))) values[id] = raw;
  }
  return values;
}

function isData(value: unknown): value is Data {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}
