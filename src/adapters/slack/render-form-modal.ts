import type { types } from '@slack/bolt';
import { z } from 'zod';
import type { StepView, ViewField, ViewForm } from '../../runtime/step-view.ts';
import { FORM_CALLBACK_ID } from './action-ids.ts';
import { mrkdwn, oneLine, plain } from './block-kit-text.ts';
import { guideMrkdwn } from './escape-mrkdwn.ts';
import { SLACK_LIMITS as L, truncate } from './limits.ts';

/** The action_id of every input: the block_id (the field id) already says which field it is. */
export const INPUT_ACTION_ID = 'value';
const DURATION_HINT = 'e.g. 30m, 1h or 3600000ms';
const YES_NO: types.PlainTextOption[] = [
  { text: plain('Yes', L.optionText), value: 'yes' },
  { text: plain('No', L.optionText), value: 'no' },
];
/** Blocks the modal spends around the inputs (title, intro, guide). */
const FRAME_BLOCKS = 3;

export interface ModalMeta {
  conversationKey: string;
  /** The step message to update once the form is accepted. */
  messageTs?: string;
}

/**
 * The form of a step as a modal: one input block per field (block_id = field id, action_id = 'value'),
 * typed by the field, prefilled with what was given unless the field is sensitive. `private_metadata`
 * carries the conversation and revision back with the submission.
 */
export function renderFormModal(view: StepView, meta: ModalMeta): types.ModalView {
  const form: ViewForm = view.form ?? {
    title: view.title,
    intro: null,
    submitLabel: 'Save',
    optional: true,
    fields: [],
    errors: {},
  };
  const blocks: types.KnownBlock[] = [];
  const title = oneLine(form.title) || 'fixpath';
  if (title.length > L.modalTitle) blocks.push({ type: 'section', text: mrkdwn(`*${guideMrkdwn(title)}*`) });
  if (form.intro)
    blocks.push({ type: 'section', text: mrkdwn(truncate(guideMrkdwn(form.intro), L.sectionText)) });
  if (view.flow) {
    blocks.push({
      type: 'context',
      elements: [mrkdwn(truncate(guideMrkdwn(oneLine(view.flow.title)), L.contextText))],
    });
  }
  const fields = form.fields.slice(0, L.modalBlocks - FRAME_BLOCKS);
  blocks.push(...fields.map((field) => inputBlock(field, form.optional)));
  const metadata: PrivateMetadata = {
    k: meta.conversationKey,
    c: view.conversationId ?? '',
    v: view.revision,
    ...(meta.messageTs ? { m: meta.messageTs } : {}),
  };
  return {
    type: 'modal',
    callback_id: FORM_CALLBACK_ID,
    private_metadata: JSON.stringify(metadata),
    title: plain(title, L.modalTitle),
    submit: plain(form.submitLabel || 'Save', L.modalSubmit),
    close: plain('Cancel', L.modalClose),
    blocks,
  };
}

/** block_id → message, for `ack({ response_action: 'errors', errors })`. Errors for no shown field go to the first. */
export function modalErrors(view: StepView): Record<string, string> {
  const form = view.form;
  if (!form) return {};
  const shown = new Set(form.fields.slice(0, L.modalBlocks - FRAME_BLOCKS).map((f) => f.id));
  const errors: Record<string, string> = {};
  const stray: string[] = [];
  for (const [id, message] of Object.entries(form.errors)) {
    if (shown.has(id)) errors[id] = truncate(oneLine(message), L.inputHint);
    else stray.push(oneLine(message));
  }
  const first = form.fields[0]?.id;
  if (stray.length > 0 && first !== undefined) {
    errors[first] = truncate([errors[first], ...stray].filter(Boolean).join(' '), L.inputHint);
  }
  return errors;
}

const PrivateMetadata = z.object({
  k: z.string().min(1),
  c: z.string(),
  v: z.number().int().min(0),
  m: z.string().optional(),
});
type PrivateMetadata = z.infer<typeof PrivateMetadata>;

/** The conversation a submitted modal belongs to; undefined when the metadata is not fixpath's. */
export function readModalMeta(
  privateMetadata: string,
): { conversationKey: string; conversationId: string; revision: number; messageTs?: string } | undefined {
  if (typeof privateMetadata !== 'string' || privateMetadata.length > L.privateMetadata) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(privateMetadata);
  } catch {
    return undefined;
  }
  const parsed = PrivateMetadata.safeParse(json);
  if (!parsed.success) return undefined;
  const { k, c, v, m } = parsed.data;
  return { conversationKey: k, conversationId: c, revision: v, ...(m ? { messageTs: m } : {}) };
}

function inputBlock(field: ViewField, allOptional: boolean): types.InputBlock {
  const hint = [field.help ? oneLine(field.help) : '', field.type === 'duration' ? durationHint(field) : '']
    .filter(Boolean)
    .join(' ');
  return {
    type: 'input',
    block_id: field.id,
    label: plain(field.label, L.inputLabel),
    optional: allOptional || !field.required,
    ...(hint ? { hint: plain(hint, L.inputHint) } : {}),
    element: inputElement(field),
  };
}

function inputElement(field: ViewField): types.InputBlockElement {
  const value = field.sensitive ? undefined : field.value;
  const placeholder = field.placeholder ? { placeholder: plain(field.placeholder, L.placeholder) } : {};
  switch (field.type) {
    case 'number': {
      const decimal = !('integer' in field && field.integer === true);
      const min = numberText(field.min);
      const max = numberText(field.max);
      const range = min !== undefined && max !== undefined && Number(min) > Number(max) ? {} : { min, max };
      const initial = numberText(value);
      const fits =
        initial !== undefined &&
        (decimal || Number.isInteger(Number(initial))) &&
        (range.min === undefined || Number(initial) >= Number(range.min)) &&
        (range.max === undefined || Number(initial) <= Number(range.max));
      return {
        type: 'number_input',
        action_id: INPUT_ACTION_ID,
        is_decimal_allowed: decimal,
        ...placeholder,
        ...(range.min !== undefined ? { min_value: range.min } : {}),
        ...(range.max !== undefined ? { max_value: range.max } : {}),
        ...(fits ? { initial_value: initial } : {}),
      };
    }
    case 'choice': {
      const options = (field.options ?? []).slice(0, L.selectOptions).map(
        (o): types.PlainTextOption => ({
          text: plain(o.label, L.optionText),
          value: o.id.slice(0, L.optionValue),
        }),
      );
      const initial = options.find((o) => o.value === value || o.text.text === value);
      return {
        type: 'static_select',
        action_id: INPUT_ACTION_ID,
        placeholder: plain(field.placeholder ?? 'Choose one', L.placeholder),
        options: options.length > 0 ? options : [{ text: plain('—', L.optionText), value: '-' }],
        ...(initial ? { initial_option: initial } : {}),
      };
    }
    case 'yesno': {
      const initial = YES_NO.find((o) => o.value === value?.trim().toLowerCase());
      return {
        type: 'radio_buttons',
        action_id: INPUT_ACTION_ID,
        options: YES_NO,
        ...(initial ? { initial_option: initial } : {}),
      };
    }
    default: {
      const maxLength =
        field.type === 'text' ? Math.min(field.maxLength ?? L.textInputLength, L.textInputLength) : 200;
      return {
        type: 'plain_text_input',
        action_id: INPUT_ACTION_ID,
        multiline: field.type === 'text' && field.multiline === true,
        max_length: maxLength,
        ...placeholder,
        ...(value ? { initial_value: value.slice(0, maxLength) } : {}),
      };
    }
  }
}

function durationHint(field: ViewField): string {
  const range =
    field.min !== undefined && field.max !== undefined
      ? ` Between ${field.min} and ${field.max}.`
      : field.min !== undefined
        ? ` At least ${field.min}.`
        : field.max !== undefined
          ? ` At most ${field.max}.`
          : '';
  const unit = 'unit' in field && typeof field.unit === 'string' ? UNIT_WORDS[field.unit] : undefined;
  return `${DURATION_HINT}.${range}${unit ? ` A number alone means ${unit}.` : ''}`;
}

const UNIT_WORDS: Record<string, string> = {
  ms: 'milliseconds',
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
  d: 'days',
};

/** A number as number_input wants it: plain decimal digits, or undefined. */
function numberText(value: number | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'number' ? String(value) : value.trim().replace(/[,_\s]/g, '');
  return /^-?\d+(\.\d+)?$/.test(text) ? text : undefined;
}
