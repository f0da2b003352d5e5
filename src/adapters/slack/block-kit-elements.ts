import { z } from 'zod';
import { SLACK_LIMITS as L } from './limits.ts';

/**
 * Zod schemas for the text objects and interactive elements fixpath draws, with Slack's per-field limits
 * and readable messages; `block-kit-schema.ts` assembles them into blocks, messages and modals.
 */

export const text = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .min(1, { error: `${what} is empty` })
    .max(max, { error: (iss) => `${what} is ${length(iss.input)} characters, over the ${max} limit` });

export const optionalText = (what: string, max: number) =>
  z
    .string({ error: `${what} must be a string` })
    .max(max, { error: (iss) => `${what} is ${length(iss.input)} characters, over the ${max} limit` });

const length = (input: unknown) => (typeof input === 'string' ? input.length : 0);

export const plainText = (what: string, max: number) =>
  z.strictObject({ type: z.literal('plain_text'), text: text(what, max), emoji: z.boolean().optional() });

export const anyText = (what: string, max: number) =>
  z.discriminatedUnion('type', [
    plainText(what, max),
    z.strictObject({ type: z.literal('mrkdwn'), text: text(what, max), verbatim: z.boolean().optional() }),
  ]);

export const blockId = text('block_id', L.blockId).optional();
export const actionId = text('action_id', L.actionId);

const Confirm = z.strictObject({
  title: plainText('confirm title', L.confirmTitle),
  text: anyText('confirm text', L.confirmText),
  confirm: plainText('confirm button', L.confirmButton),
  deny: plainText('deny button', L.confirmButton),
  style: z.enum(['primary', 'danger']).optional(),
});

export const Button = z.strictObject({
  type: z.literal('button'),
  text: plainText('button text', L.buttonText),
  action_id: actionId,
  value: text('button value', L.buttonValue).optional(),
  url: text('button url', L.buttonUrl).optional(),
  style: z.enum(['primary', 'danger']).optional(),
  confirm: Confirm.optional(),
  accessibility_label: text('button accessibility label', L.buttonText).optional(),
});

const option = (textKind: 'plain' | 'any') =>
  z.strictObject({
    text:
      textKind === 'plain' ? plainText('option text', L.optionText) : anyText('option text', L.optionText),
    value: text('option value', L.optionValue),
    description: plainText('option description', L.optionDescription).optional(),
  });

type Option = { value: string };

/** An initial option must be one of the options, or Slack refuses the view. */
function initialAmongOptions(
  element: { options: Option[]; initial_option?: Option | undefined },
  ctx: z.RefinementCtx,
) {
  const initial = element.initial_option;
  if (initial && !element.options.some((o) => JSON.stringify(o) === JSON.stringify(initial))) {
    ctx.addIssue({
      code: 'custom',
      message: 'initial_option is not one of the options',
      path: ['initial_option'],
    });
  }
}

export const StaticSelect = z
  .strictObject({
    type: z.literal('static_select'),
    action_id: actionId,
    placeholder: plainText('placeholder', L.placeholder).optional(),
    options: z
      .array(option('plain'))
      .min(1, { error: 'a select needs at least one option' })
      .max(L.selectOptions, {
        error: (iss) => `a select has ${count(iss.input)} options, over the ${L.selectOptions} limit`,
      }),
    initial_option: option('plain').optional(),
    confirm: Confirm.optional(),
    focus_on_load: z.boolean().optional(),
  })
  .superRefine(initialAmongOptions);

export const RadioButtons = z
  .strictObject({
    type: z.literal('radio_buttons'),
    action_id: actionId,
    options: z
      .array(option('any'))
      .min(1, { error: 'radio buttons need at least one option' })
      .max(L.radioOptions, {
        error: (iss) => `radio buttons have ${count(iss.input)} options, over the ${L.radioOptions} limit`,
      }),
    initial_option: option('any').optional(),
    focus_on_load: z.boolean().optional(),
  })
  .superRefine(initialAmongOptions);

/** How many items an array has, for messages about too many. */
export const count = (input: unknown) => (Array.isArray(input) ? input.length : 0);

export const PlainTextInput = z
  .strictObject({
    type: z.literal('plain_text_input'),
    action_id: actionId,
    placeholder: plainText('placeholder', L.placeholder).optional(),
    initial_value: optionalText('initial value', L.textInputLength).optional(),
    multiline: z.boolean().optional(),
    min_length: z.number().int().min(0).max(L.textInputLength).optional(),
    max_length: z
      .number()
      .int()
      .min(1)
      .max(L.textInputLength, { error: `max_length is over the ${L.textInputLength} limit` })
      .optional(),
    focus_on_load: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    if (input.max_length !== undefined && (input.initial_value ?? '').length > input.max_length) {
      ctx.addIssue({
        code: 'custom',
        message: 'initial value is longer than max_length',
        path: ['initial_value'],
      });
    }
  });

const NUMBER = /^-?\d+(\.\d+)?$/;
const numeric = (what: string) => z.string().regex(NUMBER, { error: `${what} is not a number` });

export const NumberInput = z
  .strictObject({
    type: z.literal('number_input'),
    action_id: actionId,
    is_decimal_allowed: z.boolean(),
    placeholder: plainText('placeholder', L.placeholder).optional(),
    initial_value: numeric('initial value').optional(),
    min_value: numeric('min_value').optional(),
    max_value: numeric('max_value').optional(),
    focus_on_load: z.boolean().optional(),
  })
  .superRefine((input, ctx) => {
    const [min, max, initial] = [input.min_value, input.max_value, input.initial_value].map((v) =>
      v === undefined ? undefined : Number(v),
    );
    if (min !== undefined && max !== undefined && min > max) {
      ctx.addIssue({ code: 'custom', message: 'min_value is greater than max_value', path: ['min_value'] });
    }
    if (initial === undefined) return;
    if ((min !== undefined && initial < min) || (max !== undefined && initial > max)) {
      ctx.addIssue({ code: 'custom', message: 'initial value is out of range', path: ['initial_value'] });
    }
    if (!input.is_decimal_allowed && !Number.isInteger(initial)) {
      ctx.addIssue({
        code: 'custom',
        message: 'initial value is not a whole number',
        path: ['initial_value'],
      });
    }
  });
