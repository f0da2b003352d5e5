import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { FORM_CALLBACK_ID } from '../../../../src/adapters/slack/action-ids.ts';
import { validateModal } from '../../../../src/adapters/slack/block-kit-schema.ts';
import {
  modalErrors,
  readModalMeta,
  renderFormModal,
} from '../../../../src/adapters/slack/render-form-modal.ts';
import type { StepView, ViewField, ViewForm } from '../../../../src/runtime/step-view.ts';

const FIELDS: ViewField[] = [
  {
    id: 'console_error',
    label: 'Console error',
    type: 'text',
    required: true,
    sensitive: false,
    help: 'The exact message from the `Console` tab.',
    placeholder: 'Access to fetch … has been blocked',
    multiline: true,
    maxLength: 2000,
    value: 'Blocked by CORS policy',
  },
  {
    id: 'api_token',
    label: 'API token',
    type: 'text',
    required: false,
    sensitive: true,
    maxLength: 200,
    value: 'xoxb-secret',
  },
  {
    id: 'healthy_targets',
    label: 'Healthy targets',
    type: 'number',
    required: true,
    sensitive: false,
    min: 0,
    max: 50,
    value: '3',
  },
  {
    id: 'session_timeout',
    label: 'Session timeout',
    type: 'duration',
    required: true,
    sensitive: false,
    min: '1m',
    max: '7d',
    value: '30m',
  },
  {
    id: 'proxy_in_path',
    label: 'In front of the API',
    type: 'choice',
    required: true,
    sensitive: false,
    options: [
      { id: 'none', label: 'Nothing' },
      { id: 'cdn', label: 'A CDN' },
    ],
    value: 'cdn',
  },
  {
    id: 'uses_credentials',
    label: 'Sends cookies?',
    type: 'yesno',
    required: false,
    sensitive: false,
    value: 'no',
  },
];

function formView(form: Partial<ViewForm> = {}): StepView {
  return {
    conversationId: '0b6f1f5e-4a51-4d6a-9a8e-2f9a3f3c9d11',
    revision: 12,
    status: 'active',
    flow: { id: 'cors-error', title: 'Fix a CORS error in the browser', version: '1', hash: 'h' },
    step: { id: 'collect-response', type: 'capture' },
    title: 'What did the API send back?',
    blocks: [],
    prompt: null,
    choices: [],
    form: {
      title: 'What did the API send back?',
      intro: 'Copy the values from the **Network** tab.',
      submitLabel: 'Find the fix',
      optional: false,
      fields: FIELDS,
      errors: {},
      ...form,
    },
    note: null,
    progress: { answered: 2, total: 5 },
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

const inputs = (modal: types.ModalView) =>
  Object.fromEntries(
    modal.blocks.flatMap((b) =>
      b.type === 'input' && b.block_id ? [[b.block_id, b as types.InputBlock]] : [],
    ),
  );

describe('renderFormModal', () => {
  const modal = renderFormModal(formView(), {
    conversationKey: 'T1:C1:1712345678.123456',
    messageTs: '1712345678.2',
  });
  const byId = inputs(modal);

  it('is a valid modal with fixpath callback id, a title within 24 characters and submit and close labels', () => {
    expect(validateModal(modal)).toEqual([]);
    expect(modal.callback_id).toBe(FORM_CALLBACK_ID);
    expect(modal.title.text).toBe('What did the API send…');
    expect(modal.submit?.text).toBe('Find the fix');
    expect(modal.close?.text).toBe('Cancel');
    expect(JSON.stringify(modal.blocks[0])).toContain('*What did the API send back?*');
  });

  it('draws one input per field, keyed by the field id with action_id "value", optional unless required', () => {
    expect(Object.keys(byId)).toEqual(FIELDS.map((f) => f.id));
    for (const field of FIELDS) {
      expect(byId[field.id]?.element.action_id).toBe('value');
      expect(byId[field.id]?.optional).toBe(!field.required);
    }
    expect(byId.console_error?.hint?.text).toBe('The exact message from the Console tab.');
  });

  it('picks the element by field type and prefills what was given', () => {
    expect(byId.console_error?.element).toMatchObject({
      type: 'plain_text_input',
      multiline: true,
      max_length: 2000,
      initial_value: 'Blocked by CORS policy',
      placeholder: { text: 'Access to fetch … has been blocked' },
    });
    expect(byId.healthy_targets?.element).toMatchObject({
      type: 'number_input',
      is_decimal_allowed: true,
      min_value: '0',
      max_value: '50',
      initial_value: '3',
    });
    expect(byId.session_timeout?.element).toMatchObject({ type: 'plain_text_input', initial_value: '30m' });
    expect(byId.session_timeout?.hint?.text).toBe('e.g. 30m, 1h or 3600000ms. Between 1m and 7d.');
    expect(byId.proxy_in_path?.element).toMatchObject({
      type: 'static_select',
      initial_option: { value: 'cdn', text: { text: 'A CDN' } },
    });
    expect(byId.uses_credentials?.element).toMatchObject({
      type: 'radio_buttons',
      options: [{ value: 'yes' }, { value: 'no' }],
      initial_option: { value: 'no' },
    });
  });

  it('says how a bare number is read when the duration field has a unit', () => {
    const field = { ...FIELDS[3], unit: 's' } as ViewField;
    const hint = inputs(renderFormModal(formView({ fields: [field] }), { conversationKey: 'k' }))
      .session_timeout?.hint;
    expect(hint?.text).toBe('e.g. 30m, 1h or 3600000ms. Between 1m and 7d. A number alone means seconds.');
  });

  it('never prefills a sensitive field', () => {
    expect(byId.api_token?.element).not.toHaveProperty('initial_value');
    expect(JSON.stringify(modal)).not.toContain('xoxb-secret');
  });

  it('drops a refused value Slack would not accept as an initial value, and cuts an overlong one', () => {
    const typed = FIELDS.map((f) => ({ ...f, value: f.type === 'text' ? 'x'.repeat(2500) : 'not valid' }));
    const refused = inputs(renderFormModal(formView({ fields: typed }), { conversationKey: 'k' }));
    expect(refused.healthy_targets?.element).not.toHaveProperty('initial_value');
    expect(refused.proxy_in_path?.element).not.toHaveProperty('initial_option');
    expect(refused.uses_credentials?.element).not.toHaveProperty('initial_option');
    expect((refused.console_error?.element as types.PlainTextInput | undefined)?.initial_value).toHaveLength(
      2000,
    );
  });

  it('makes every input optional for a fix step record form', () => {
    const record = inputs(renderFormModal(formView({ optional: true }), { conversationKey: 'k' }));
    expect(Object.values(record).every((b) => b.optional)).toBe(true);
  });
});

describe('readModalMeta', () => {
  it('reads back the conversation, revision and message a modal was opened for', () => {
    const modal = renderFormModal(formView(), {
      conversationKey: 'T1:C1:1712345678.123456',
      messageTs: '1712345678.2',
    });
    expect(readModalMeta(modal.private_metadata ?? '')).toEqual({
      conversationKey: 'T1:C1:1712345678.123456',
      conversationId: '0b6f1f5e-4a51-4d6a-9a8e-2f9a3f3c9d11',
      revision: 12,
      messageTs: '1712345678.2',
    });
  });

  it.each([
    '',
    'not json',
    '{"k":"T1"}',
    '{"k":"","c":"c","v":1}',
    '{"k":"k","c":"c","v":-1}',
    '[1,2]',
    'x'.repeat(3001),
  ])('answers undefined for metadata that is not fixpath’s: %s', (metadata) => {
    expect(readModalMeta(metadata)).toBeUndefined();
  });
});

describe('modalErrors', () => {
  it('maps each refused field to its input block, and an error for no shown field to the first input', () => {
    const view = formView({
      errors: { healthy_targets: 'At least 0.', gone_field: 'This step has no field `gone_field`.' },
    });
    expect(modalErrors(view)).toEqual({
      healthy_targets: 'At least 0.',
      console_error: 'This step has no field `gone_field`.',
    });
  });

  it('is empty when the form was accepted or there is no form', () => {
    expect(modalErrors(formView())).toEqual({});
    expect(modalErrors({ ...formView(), form: null })).toEqual({});
  });
});
