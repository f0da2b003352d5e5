// Slack's modal for a step's form, as the Slack adapter builds it: its title bar, section and context
// blocks, one input per input block (by element type), Cancel and Submit. Submitting reports
// `view.state.values` as Slack sends it in a `view_submission`.

import { h, replace } from './dom.js';
import { renderBlock, text } from './slack-preview.js';

const REQUIRED = 'Please complete this required field.';

/**
 * Slack's modal for a form: the title bar, the section/context blocks, one input per input block (by
 * element type), Cancel and Submit. Required fields are checked the way Slack checks them before
 * anything is sent; `onSubmit(stateValues)` gets `view.state.values` as Slack sends it. Returns
 * `{ showErrors(byBlockId), close(), element }`.
 */
export function openSlackModal(modal, { host, onSubmit, onClose }) {
  const inputs = [];
  const form = h('form', { class: 'sk-dialog-body sk-modal-body', novalidate: true });
  const formErrors = h('div', { class: 'sk-modal-errors', hidden: true, role: 'alert' });
  form.append(formErrors);
  for (const block of modal.blocks ?? []) {
    if (block.type === 'input') {
      const input = renderInput(block);
      inputs.push(input);
      form.append(input.element);
    } else form.append(renderBlock(block, { onAction: () => undefined, host }));
  }
  const submitLabel = modal.submit ? text(modal.submit) : 'Submit';
  const submit = h(
    'button',
    { type: 'submit', class: 'sk-button sk-button-primary', form: 'sk-modal-form' },
    submitLabel,
  );
  form.id = 'sk-modal-form';
  const close = () => {
    backdrop.remove();
    onClose?.();
  };
  const backdrop = h(
    'div',
    { class: 'sk-backdrop' },
    h(
      'div',
      {
        class: 'sk-dialog sk-modal',
        role: 'dialog',
        'aria-modal': 'true',
        'aria-label': modal.title?.text ?? 'Form',
      },
      h(
        'div',
        { class: 'sk-dialog-head' },
        h('span', { class: 'sk-dialog-title' }, text(modal.title)),
        h('button', {
          type: 'button',
          class: 'sk-dialog-x',
          'aria-label': 'Close',
          text: '×',
          on: { click: close },
        }),
      ),
      form,
      h(
        'div',
        { class: 'sk-dialog-foot' },
        h(
          'button',
          { type: 'button', class: 'sk-button', on: { click: close } },
          modal.close ? text(modal.close) : 'Cancel',
        ),
        submit,
      ),
    ),
  );

  const showErrors = (errors) => {
    const stray = [];
    for (const input of inputs) input.setError(errors[input.blockId]);
    for (const [id, message] of Object.entries(errors))
      if (!inputs.some((i) => i.blockId === id)) stray.push(message);
    formErrors.hidden = stray.length === 0;
    replace(formErrors, stray.join(' '));
  };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const missing = {};
    for (const input of inputs) if (!input.optional && input.isEmpty()) missing[input.blockId] = REQUIRED;
    showErrors(missing);
    if (Object.keys(missing).length > 0) return;
    const values = {};
    for (const input of inputs) values[input.blockId] = { [input.actionId]: input.state() };
    submit.disabled = true;
    try {
      await onSubmit(values);
    } finally {
      submit.disabled = false;
    }
  });

  host.append(backdrop);
  inputs[0]?.focus();
  return { showErrors, close: () => backdrop.remove(), element: backdrop };
}

/** One input block: its label, the element by type, the hint and the error line. */
function renderInput(block) {
  const el = block.element ?? {};
  const id = `sk-in-${block.block_id}`;
  const error = h('div', { class: 'sk-input-error', role: 'alert', hidden: true });
  let control;
  let state;
  let isEmpty;
  switch (el.type) {
    case 'static_select': {
      control = h(
        'select',
        { id, class: 'sk-select sk-field-control' },
        h('option', { value: '' }, el.placeholder?.text ?? 'Select an option'),
        (el.options ?? []).map((o) =>
          h(
            'option',
            { value: o.value, selected: el.initial_option?.value === o.value },
            o.text?.text ?? o.value,
          ),
        ),
      );
      state = () => ({
        type: 'static_select',
        selected_option: control.value ? { value: control.value } : null,
      });
      isEmpty = () => control.value === '';
      break;
    }
    case 'radio_buttons': {
      control = h(
        'div',
        { class: 'sk-radios', role: 'radiogroup', id },
        (el.options ?? []).map((o) =>
          h(
            'label',
            { class: 'sk-radio' },
            h('input', {
              type: 'radio',
              name: id,
              value: o.value,
              checked: el.initial_option?.value === o.value,
            }),
            h('span', {}, o.text?.text ?? o.value),
          ),
        ),
      );
      const chosen = () => control.querySelector('input:checked')?.value;
      state = () => ({ type: 'radio_buttons', selected_option: chosen() ? { value: chosen() } : null });
      isEmpty = () => chosen() === undefined;
      break;
    }
    default: {
      const multiline = el.type === 'plain_text_input' && el.multiline === true;
      control = h(multiline ? 'textarea' : 'input', {
        id,
        class: 'sk-text-input sk-field-control',
        type: multiline ? undefined : 'text',
        inputmode: el.type === 'number_input' ? 'decimal' : undefined,
        placeholder: el.placeholder?.text,
        maxlength: el.max_length,
        rows: multiline ? 3 : undefined,
      });
      control.value = el.initial_value ?? '';
      state = () => ({
        type: el.type === 'number_input' ? 'number_input' : 'plain_text_input',
        value: control.value,
      });
      isEmpty = () => control.value.trim() === '';
    }
  }
  const element = h(
    'div',
    { class: 'sk-input', dataset: { blockId: block.block_id } },
    h(
      'label',
      { class: 'sk-input-label', for: id },
      h('span', { class: 'sk-input-label-text' }, text(block.label)),
      block.optional ? h('span', { class: 'sk-optional' }, ' (optional)') : null,
    ),
    control,
    block.hint ? h('div', { class: 'sk-input-hint' }, text(block.hint)) : null,
    error,
  );
  return {
    element,
    blockId: block.block_id,
    actionId: el.action_id ?? 'value',
    optional: block.optional === true,
    state,
    isEmpty,
    focus: () => control.focus?.({ preventScroll: true }),
    setError(message) {
      error.hidden = !message;
      replace(error, message ?? '');
      element.classList.toggle('sk-input-invalid', Boolean(message));
    },
  };
}
