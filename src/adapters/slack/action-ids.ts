import { z } from 'zod';
import { FixpathError } from '../../errors.ts';
import type { ConversationEvent } from '../../runtime/conversation-event.ts';
import { SLACK_LIMITS } from './limits.ts';

/**
 * How interactive elements carry what they were drawn for. Every block of a fixpath message gets a
 * `block_id` naming the conversation, the revision it showed and the guide; each element's `action_id`
 * says what it does, and a button's `value` is the event it sends, as JSON.
 */
export const FORM_CALLBACK_ID = 'fixpath:form';

export const ACTION_IDS = {
  back: 'fp:back',
  restart: 'fp:restart',
  escalate: 'fp:escalate',
  form: 'fp:form',
  faq: 'fp:faq',
} as const;

export const choiceActionId = (index: number): string => `fp:choice:${index}`;

/**
 * A block_id: `fp|<conversationId>|<revision>|<n>`, plus `|<flowId>` when the view has a guide. Throws
 * `internal` when a conversation id is too long to fit (engine ids are UUIDs).
 */
export function blockIdFor(
  view: { conversationId: string | null; revision: number; flow?: { id: string } | null },
  n: number,
): string {
  const flow = view.flow?.id && FLOW_ID.test(view.flow.id) ? `|${view.flow.id}` : '';
  const id = `fp|${view.conversationId ?? ''}|${view.revision}|${n}${flow}`;
  if (id.length > SLACK_LIMITS.blockId) {
    throw new FixpathError(
      'internal',
      `conversation id too long for a Slack block_id (${id.length} > ${SLACK_LIMITS.blockId})`,
    );
  }
  return id;
}

/** A button's value: the event it sends. */
export function eventValue(event: ConversationEvent): string {
  return JSON.stringify(event);
}

export type ReadAction =
  | { kind: 'event'; conversationId: string; revision: number; flowId?: string; event: ConversationEvent }
  | { kind: 'open-form'; conversationId: string; revision: number; flowId?: string }
  | { kind: 'unknown' };

/** The shape of a `block_actions` action, as loose as Slack may send it. */
export interface SlackAction {
  block_id?: string;
  action_id: string;
  value?: string | null;
  selected_option?: { value: string } | null;
}

const FLOW_ID = /^[a-z][a-z0-9_-]{0,63}$/;
const BLOCK_ID = /^fp\|(.*)\|(\d{1,15})\|(\d{1,4})(?:\|([a-z][a-z0-9_-]{0,63}))?$/;
const CHOICE = /^fp:choice:\d{1,3}$/;

const Id = z.string().regex(FLOW_ID);
/**
 * Every event a button can carry; anything else (an old or foreign format, or a form submission, which
 * only ever comes from the modal) is not ours.
 */
const Event = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start'), flowId: Id }),
  z.strictObject({ type: z.literal('choose'), choice: Id }),
  z.strictObject({ type: z.literal('back') }),
  z.strictObject({ type: z.literal('restart') }),
  z.strictObject({ type: z.literal('escalate') }),
  z.strictObject({ type: z.literal('faq'), faq: Id }),
  z.strictObject({ type: z.literal('feedback'), helpful: z.boolean() }),
]);

const FIXED: Record<string, ConversationEvent['type']> = {
  [ACTION_IDS.back]: 'back',
  [ACTION_IDS.restart]: 'restart',
  [ACTION_IDS.escalate]: 'escalate',
};

/**
 * What a click on a fixpath message means. Anything not drawn by these renderers, malformed, oversized
 * or in an older format is `unknown`; this never throws, whatever the payload.
 */
export function readAction(action: SlackAction): ReadAction {
  const unknown = { kind: 'unknown' } as const;
  if (typeof action !== 'object' || action === null) return unknown;
  const { block_id: blockId, action_id: actionId } = action;
  if (typeof blockId !== 'string' || typeof actionId !== 'string') return unknown;
  if (blockId.length > SLACK_LIMITS.blockId || actionId.length > SLACK_LIMITS.actionId) return unknown;
  const match = BLOCK_ID.exec(blockId);
  if (!match) return unknown;
  const where = {
    conversationId: match[1] ?? '',
    revision: Number(match[2]),
    ...(match[4] ? { flowId: match[4] } : {}),
  };
  if (!Number.isSafeInteger(where.revision)) return unknown;

  if (actionId === ACTION_IDS.form) return { kind: 'open-form', ...where };
  if (actionId === ACTION_IDS.faq) {
    const faq = action.selected_option?.value;
    return typeof faq === 'string' && FLOW_ID.test(faq)
      ? { kind: 'event', ...where, event: { type: 'faq', faq } }
      : unknown;
  }
  const fixed = FIXED[actionId];
  if (fixed === undefined && !CHOICE.test(actionId)) return unknown;
  const event = parseEvent(action.value);
  if (!event || (fixed !== undefined && event.type !== fixed)) return unknown;
  return { kind: 'event', ...where, event };
}

function parseEvent(value: unknown): ConversationEvent | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > SLACK_LIMITS.buttonValue)
    return undefined;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return undefined;
  }
  const parsed = Event.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}
