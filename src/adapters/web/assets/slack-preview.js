// A Block Kit preview: draws the blocks the Slack adapter sends (header, section with fields and
// accessory, context, divider, actions with buttons, selects and overflow menus) the way Slack lays
// them out; slack-modal.js draws the form modal. Clicking reports the element as Slack's `block_actions`
// would: { block_id, action_id, value } or { …, selected_option: { value } }.

import { h } from './dom.js';
import { mrkdwn, plainText } from './slack-mrkdwn.js';

/** A Block Kit text object (plain_text or mrkdwn) as a fragment. */
export function text(object) {
  if (!object || typeof object.text !== 'string') return '';
  return object.type === 'mrkdwn'
    ? mrkdwn(object.text, { verbatim: object.verbatim === true })
    : plainText(object.text, { emoji: object.emoji !== false });
}

/**
 * The step message as a Slack message from the app: avatar, name with the APP badge, then its blocks
 * (or its `text` when it has none). `onAction(click)` is called for every button, select and overflow
 * choice; `host` is where confirmation dialogs open.
 */
export function renderSlackMessage(message, { onAction, host, appName = 'fixpath' }) {
  const blocks = Array.isArray(message?.blocks) ? message.blocks : [];
  const body = h('div', { class: 'sk-blocks' });
  if (blocks.length === 0)
    body.append(h('div', { class: 'sk-section' }, mrkdwn(String(message?.text ?? ''))));
  for (const block of blocks) body.append(renderBlock(block, { onAction, host }));
  return h(
    'div',
    { class: 'sk-message' },
    h('div', { class: 'sk-avatar', 'aria-hidden': 'true' }, 'fp'),
    h(
      'div',
      { class: 'sk-content' },
      h(
        'div',
        { class: 'sk-meta' },
        h('span', { class: 'sk-name' }, appName),
        h('span', { class: 'sk-app' }, 'APP'),
        h('span', { class: 'sk-time' }, timeNow()),
      ),
      body,
    ),
  );
}

function timeNow() {
  return new Date().toLocaleTimeString([], { hour: 'numeric', minute: '2-digit' });
}

/** One message block (header, section, context, divider, actions); modals draw theirs with it too. */
export function renderBlock(block, ctx) {
  const blockId = block.block_id ?? '';
  switch (block.type) {
    case 'header':
      return h('div', { class: 'sk-header', dataset: { block: 'header' } }, text(block.text));
    case 'section': {
      const main = h('div', { class: 'sk-section-main' });
      if (block.text) main.append(h('div', { class: 'sk-section-text' }, text(block.text)));
      if (Array.isArray(block.fields) && block.fields.length > 0)
        main.append(
          h(
            'div',
            { class: 'sk-fields' },
            block.fields.map((f) => h('div', { class: 'sk-field' }, text(f))),
          ),
        );
      const accessory = block.accessory ? renderElement(block.accessory, blockId, ctx) : null;
      return h(
        'div',
        { class: 'sk-section', dataset: { block: 'section' } },
        main,
        accessory && h('div', { class: 'sk-accessory' }, accessory),
      );
    }
    case 'context':
      return h(
        'div',
        { class: 'sk-context', dataset: { block: 'context' } },
        (block.elements ?? []).map((el) =>
          el.type === 'image'
            ? h('span', { class: 'sk-context-image', title: el.alt_text ?? '' }, '▣')
            : h('span', { class: 'sk-context-item' }, text(el)),
        ),
      );
    case 'divider':
      return h('hr', { class: 'sk-divider' });
    case 'actions':
      return h(
        'div',
        { class: 'sk-actions', dataset: { block: 'actions' } },
        (block.elements ?? []).map((el) => renderElement(el, blockId, ctx)),
      );
    default:
      return h('div', { class: 'sk-unknown' }, `A ${String(block.type)} block (not drawn in this preview)`);
  }
}

/** An interactive element of a message: button, static_select or overflow. */
function renderElement(el, blockId, { onAction, host }) {
  const report = (extra) => onAction({ block_id: blockId, action_id: el.action_id, ...extra });
  switch (el.type) {
    case 'button': {
      const style =
        el.style === 'primary' ? ' sk-button-primary' : el.style === 'danger' ? ' sk-button-danger' : '';
      const click = () => {
        const send = () => report(el.value === undefined ? {} : { value: el.value });
        if (el.confirm) confirmDialog(host, el.confirm).then((ok) => ok && send());
        else send();
      };
      return h('button', { type: 'button', class: `sk-button${style}`, on: { click } }, text(el.text));
    }
    case 'static_select': {
      const select = h(
        'select',
        {
          class: 'sk-select',
          'aria-label': el.placeholder?.text ?? 'Select',
          on: {
            change: () => {
              if (select.value !== '') report({ selected_option: { value: select.value } });
            },
          },
        },
        h('option', { value: '', disabled: true, selected: true }, el.placeholder?.text ?? 'Select an item'),
        (el.options ?? []).map((o) => h('option', { value: o.value }, o.text?.text ?? o.value)),
      );
      return h('span', { class: 'sk-select-wrap' }, select);
    }
    case 'overflow': {
      const menu = h(
        'div',
        { class: 'sk-overflow-menu', hidden: true },
        (el.options ?? []).map((o) =>
          h(
            'button',
            {
              type: 'button',
              class: 'sk-overflow-item',
              on: {
                click: () => {
                  menu.hidden = true;
                  report({ selected_option: { value: o.value } });
                },
              },
            },
            o.text?.text ?? o.value,
          ),
        ),
      );
      const toggle = h('button', {
        type: 'button',
        class: 'sk-overflow',
        'aria-label': 'More actions',
        text: '⋯',
        on: { click: () => (menu.hidden = !menu.hidden) },
      });
      return h('span', { class: 'sk-overflow-wrap' }, toggle, menu);
    }
    default:
      return h('span', { class: 'sk-unknown' }, `[${String(el.type)}]`);
  }
}

/** Slack's confirmation dialog for a button with `confirm`; resolves true when confirmed. */
function confirmDialog(host, confirm) {
  return new Promise((resolve) => {
    const done = (ok) => {
      backdrop.remove();
      resolve(ok);
    };
    const backdrop = h(
      'div',
      { class: 'sk-backdrop' },
      h(
        'div',
        { class: 'sk-dialog sk-confirm', role: 'alertdialog', 'aria-modal': 'true' },
        h('div', { class: 'sk-dialog-head' }, h('span', { class: 'sk-dialog-title' }, text(confirm.title))),
        h('div', { class: 'sk-dialog-body' }, text(confirm.text)),
        h(
          'div',
          { class: 'sk-dialog-foot' },
          h(
            'button',
            { type: 'button', class: 'sk-button', on: { click: () => done(false) } },
            text(confirm.deny),
          ),
          h(
            'button',
            { type: 'button', class: 'sk-button sk-button-primary', on: { click: () => done(true) } },
            text(confirm.confirm),
          ),
        ),
      ),
    );
    host.append(backdrop);
  });
}
