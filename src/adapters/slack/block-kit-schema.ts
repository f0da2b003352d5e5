import { z } from 'zod';
import {
  anyText,
  Button,
  blockId,
  count,
  NumberInput,
  optionalText,
  PlainTextInput,
  plainText,
  RadioButtons,
  StaticSelect,
  text,
} from './block-kit-elements.ts';
import { countBlockText } from './block-kit-text.ts';
import { SLACK_LIMITS as L } from './limits.ts';

/**
 * Zod validators for what fixpath sends Slack, checked against `SLACK_LIMITS`: every block and element
 * kind the renderers draw, with Slack's per-field limits, plus the rules across a whole message or modal
 * (block count, unique ids, total text). They answer with readable problems, empty when all is well.
 * Strict objects: a key Slack does not know is a problem too.
 */

const Header = z.strictObject({
  type: z.literal('header'),
  block_id: blockId,
  text: plainText('header text', L.headerText),
});

const Section = z
  .strictObject({
    type: z.literal('section'),
    block_id: blockId,
    text: anyText('section text', L.sectionText).optional(),
    fields: z
      .array(anyText('section field', L.sectionFieldText))
      .min(1, { error: 'section fields are empty' })
      .max(L.sectionFields, {
        error: (iss) => `a section has ${count(iss.input)} fields, over the ${L.sectionFields} limit`,
      })
      .optional(),
    accessory: z.discriminatedUnion('type', [Button, StaticSelect]).optional(),
    expand: z.boolean().optional(),
  })
  .superRefine((section, ctx) => {
    if (!section.text && !section.fields)
      ctx.addIssue({ code: 'custom', message: 'a section needs text or fields' });
  });

const Context = z.strictObject({
  type: z.literal('context'),
  block_id: blockId,
  elements: z
    .array(anyText('context text', L.contextText))
    .min(1, { error: 'a context block needs at least one element' })
    .max(L.contextElements, {
      error: (iss) => `a context block has ${count(iss.input)} elements, over the ${L.contextElements} limit`,
    }),
});

const Actions = z.strictObject({
  type: z.literal('actions'),
  block_id: blockId,
  elements: z
    .array(z.discriminatedUnion('type', [Button, StaticSelect]))
    .min(1, { error: 'an actions block needs at least one element' })
    .max(L.actionsElements, {
      error: (iss) =>
        `an actions block has ${count(iss.input)} elements, over the ${L.actionsElements} limit`,
    }),
});

const Divider = z.strictObject({ type: z.literal('divider'), block_id: blockId });

const Input = z.strictObject({
  type: z.literal('input'),
  block_id: blockId,
  label: plainText('input label', L.inputLabel),
  hint: plainText('input hint', L.inputHint).optional(),
  optional: z.boolean().optional(),
  dispatch_action: z.boolean().optional(),
  element: z.discriminatedUnion('type', [PlainTextInput, NumberInput, StaticSelect, RadioButtons]),
});

const MessageBlock = z.discriminatedUnion('type', [Header, Section, Context, Actions, Divider]);
const ModalBlock = z.discriminatedUnion('type', [Header, Section, Context, Actions, Divider, Input]);

const Modal = z.strictObject({
  type: z.literal('modal'),
  title: plainText('modal title', L.modalTitle),
  submit: plainText('modal submit label', L.modalSubmit).optional(),
  close: plainText('modal close label', L.modalClose).optional(),
  blocks: z.array(z.unknown()),
  private_metadata: optionalText('private_metadata', L.privateMetadata).optional(),
  callback_id: text('callback_id', L.callbackId).optional(),
  external_id: z.string().optional(),
  clear_on_close: z.boolean().optional(),
  notify_on_close: z.boolean().optional(),
});

/** Problems with a message for `chat.postMessage` / `chat.update`; empty when Slack will take it. */
export function validateSlackMessage(message: unknown): string[] {
  if (typeof message !== 'object' || message === null) return ['the message is not an object'];
  const { text: fallback, blocks } = message as { text?: unknown; blocks?: unknown };
  const problems: string[] = [];
  if (typeof fallback !== 'string' || fallback.trim() === '') {
    problems.push('text (the notification fallback) is empty');
  } else if (fallback.length > L.messageText) {
    problems.push(`text is ${fallback.length} characters, over the ${L.messageText} limit`);
  }
  if (!Array.isArray(blocks)) return [...problems, 'blocks is not an array'];
  if (blocks.length > L.messageBlocks) {
    problems.push(`the message has ${blocks.length} blocks, over the ${L.messageBlocks} limit`);
  }
  problems.push(...checkBlocks(blocks, MessageBlock));
  const total = countBlockText(blocks);
  if (total > L.totalText) {
    problems.push(
      `the blocks hold ${total} characters of text, over the ${L.totalText} fixpath allows (Slack answers msg_blocks_too_long near 13,200)`,
    );
  }
  return problems;
}

/** Problems with a modal for `views.open` / `views.update`; empty when Slack will take it. */
export function validateModal(view: unknown): string[] {
  const parsed = Modal.safeParse(view);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => describe(issue, []));
    const blocks = (view as { blocks?: unknown } | null)?.blocks;
    return Array.isArray(blocks) ? [...problems, ...checkBlocks(blocks, ModalBlock)] : problems;
  }
  const modal = parsed.data;
  const problems: string[] = [];
  if (modal.blocks.length > L.modalBlocks) {
    problems.push(`the modal has ${modal.blocks.length} blocks, over the ${L.modalBlocks} limit`);
  }
  if (modal.blocks.some((b) => (b as { type?: unknown } | null)?.type === 'input') && !modal.submit) {
    problems.push('a modal with inputs needs a submit label');
  }
  problems.push(...checkBlocks(modal.blocks, ModalBlock));
  const bytes = new TextEncoder().encode(JSON.stringify(view)).length;
  if (bytes > L.modalBytes) problems.push(`the modal is ${bytes} bytes, over the ${L.modalBytes} limit`);
  return problems;
}

function checkBlocks(blocks: unknown[], schema: z.ZodType): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  blocks.forEach((block, i) => {
    const parsed = schema.safeParse(block);
    if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => describe(issue, ['blocks', i])));
    if (typeof block !== 'object' || block === null) return;
    const id = (block as { block_id?: unknown }).block_id;
    if (typeof id === 'string') {
      const first = seen.get(id);
      if (first !== undefined)
        problems.push(`blocks[${i}]: duplicate block_id "${id}" (also blocks[${first}])`);
      else seen.set(id, i);
    }
    const actionIds = elementsOf(block).flatMap((e) =>
      typeof e.action_id === 'string' ? [e.action_id] : [],
    );
    const dupes = actionIds.filter((a, j) => actionIds.indexOf(a) !== j);
    for (const dupe of new Set(dupes))
      problems.push(`blocks[${i}]: duplicate action_id "${dupe}" in one block`);
  });
  return problems;
}

function elementsOf(block: object): Array<{ action_id?: unknown }> {
  const { elements, accessory, element } = block as {
    elements?: unknown;
    accessory?: unknown;
    element?: unknown;
  };
  const list = Array.isArray(elements) ? elements : [accessory, element];
  return list.filter((e): e is { action_id?: unknown } => typeof e === 'object' && e !== null);
}

function describe(issue: z.core.$ZodIssue, prefix: PropertyKey[]): string {
  const path = [...prefix, ...issue.path]
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
  let message = issue.message;
  if (issue.code === 'unrecognized_keys')
    message = `unexpected ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_union' && 'options' in issue && Array.isArray(issue.options)) {
    message = `type must be one of ${issue.options.join(', ')}`;
  }
  return `${path || 'the view'}: ${message}`;
}
