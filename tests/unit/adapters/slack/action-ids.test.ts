import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { blockIdFor, readAction, type SlackAction } from '../../../../src/adapters/slack/action-ids.ts';
import { renderStepMessage } from '../../../../src/adapters/slack/render-step-message.ts';
import { FixpathError } from '../../../../src/errors.ts';
import type { StepView } from '../../../../src/runtime/step-view.ts';
import { everyView } from '../../../helpers/explore-guide.ts';
import { allGuides } from '../../../helpers/guides.ts';

const views = (await allGuides()).flatMap((guide) => everyView(guide));

/** What Slack sends in `block_actions` for a click on `element` of the block `blockId`. */
function click(
  element: types.ActionsBlockElement | types.SectionBlockAccessory,
  blockId: string,
  option = 0,
) {
  const base = { block_id: blockId, action_ts: '1712345678.123456' };
  if (element.type === 'button') return { ...base, ...element };
  if (element.type === 'static_select') {
    const selected = element.options?.[option];
    return { ...base, type: 'static_select', action_id: element.action_id ?? '', selected_option: selected };
  }
  throw new Error(`fixpath draws no ${element.type}`);
}

/** Every click a message offers, with what it should mean. */
function clicksOf(view: StepView) {
  const clicks: Array<{ action: SlackAction; expected: ReturnType<typeof readAction> }> = [];
  const where = {
    conversationId: view.conversationId ?? '',
    revision: view.revision,
    ...(view.flow ? { flowId: view.flow.id } : {}),
  };
  for (const block of renderStepMessage(view).blocks) {
    const elements =
      block.type === 'actions'
        ? block.elements
        : block.type === 'section' && block.accessory
          ? [block.accessory]
          : [];
    for (const element of elements) {
      const blockId = block.block_id ?? '';
      if (element.type === 'static_select') {
        (element.options ?? []).forEach((o, i) => {
          clicks.push({
            action: click(element, blockId, i) as SlackAction,
            expected: { kind: 'event', ...where, event: { type: 'faq', faq: o.value ?? '' } },
          });
        });
        continue;
      }
      const action = click(element, blockId) as SlackAction;
      const id = action.action_id;
      const choice = /^fp:choice:(\d+)$/.exec(id);
      const expected: ReturnType<typeof readAction> =
        id === 'fp:form'
          ? { kind: 'open-form', ...where }
          : choice
            ? { kind: 'event', ...where, event: view.choices[Number(choice[1])]?.event ?? { type: 'show' } }
            : { kind: 'event', ...where, event: { type: id.replace('fp:', '') } as never };
      clicks.push({ action, expected });
    }
  }
  return clicks;
}

describe('readAction', () => {
  it('reads back every button and select of every rendered message as the event it was drawn for', () => {
    const clicks = views.flatMap(clicksOf);
    const kinds = new Set(clicks.map(({ action }) => action.action_id.replace(/\d+$/, '')));
    expect([...kinds].sort()).toEqual([
      'fp:back',
      'fp:choice:',
      'fp:escalate',
      'fp:faq',
      'fp:form',
      'fp:restart',
    ]);
    for (const { action, expected } of clicks) expect(readAction(action)).toEqual(expected);
  });

  it('carries the conversation, revision and guide in each block_id, within 255 characters', () => {
    const view = {
      conversationId: '0b6f1f5e-4a51-4d6a-9a8e-2f9a3f3c9d11',
      revision: 42,
      flow: { id: 'session-expiry' },
    };
    const id = blockIdFor(view, 3);
    expect(id).toBe('fp|0b6f1f5e-4a51-4d6a-9a8e-2f9a3f3c9d11|42|3|session-expiry');
    const read = readAction({ block_id: id, action_id: 'fp:back', value: '{"type":"back"}' });
    expect(read).toEqual({
      kind: 'event',
      conversationId: view.conversationId,
      revision: 42,
      flowId: 'session-expiry',
      event: { type: 'back' },
    });
    expect(() => blockIdFor({ conversationId: 'c'.repeat(250), revision: 1 }, 1)).toThrow(FixpathError);
  });

  const ours = 'fp|c-1|7|3|cors-error';
  it.each<[string, unknown]>([
    ['a foreign block_id', { block_id: 'Xy1z', action_id: 'fp:back', value: '{"type":"back"}' }],
    [
      'an older block_id format',
      { block_id: 'fixpath:c-1:7', action_id: 'fp:back', value: '{"type":"back"}' },
    ],
    ['no block_id', { action_id: 'fp:back', value: '{"type":"back"}' }],
    ['a foreign action_id', { block_id: ours, action_id: 'approve_request', value: 'yes' }],
    ['a value that is not JSON', { block_id: ours, action_id: 'fp:choice:0', value: 'good' }],
    [
      'an event of the wrong shape',
      { block_id: ours, action_id: 'fp:choice:0', value: '{"type":"choose","id":"good"}' },
    ],
    [
      'an unknown event type',
      { block_id: ours, action_id: 'fp:choice:0', value: '{"type":"delete_everything"}' },
    ],
    [
      'a form submission on a button',
      { block_id: ours, action_id: 'fp:choice:0', value: '{"type":"submit","values":{}}' },
    ],
    [
      'a back button carrying another event',
      { block_id: ours, action_id: 'fp:back', value: '{"type":"restart"}' },
    ],
    [
      'an oversized value',
      { block_id: ours, action_id: 'fp:choice:0', value: `{"type":"choose","choice":"${'a'.repeat(2000)}"}` },
    ],
    ['an FAQ select with nothing selected', { block_id: ours, action_id: 'fp:faq', selected_option: null }],
    [
      'an FAQ select with a bad id',
      { block_id: ours, action_id: 'fp:faq', selected_option: { value: '../../etc' } },
    ],
    [
      'a revision that is not a number',
      { block_id: 'fp|c-1|x|3', action_id: 'fp:back', value: '{"type":"back"}' },
    ],
    [
      'an oversized block_id',
      { block_id: `fp|${'c'.repeat(300)}|7|3`, action_id: 'fp:back', value: '{"type":"back"}' },
    ],
    ['no action at all', null],
    ['an action with no action_id', { block_id: ours }],
  ])('answers unknown for %s, without throwing', (_, action) => {
    expect(readAction(action as SlackAction)).toEqual({ kind: 'unknown' });
  });
});
