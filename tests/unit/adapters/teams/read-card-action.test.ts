import { describe, expect, it } from 'vitest';
import { CARD_VERB } from '../../../../src/adapters/teams/card-limits.ts';
import { readCardAction } from '../../../../src/adapters/teams/read-card-action.ts';
import { renderStepCard } from '../../../../src/adapters/teams/render-step-card.ts';
import type { ConversationEvent } from '../../../../src/runtime/conversation-event.ts';
import type { StepView } from '../../../../src/runtime/step-view.ts';
import { everyView } from '../../../helpers/explore-guide.ts';
import { allGuides } from '../../../helpers/guides.ts';

type Json = Record<string, unknown>;

/** Every Action.Execute of a card, in its body, its action bar and the cards its ShowCards open. */
function executeActions(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(executeActions);
  if (typeof node !== 'object' || node === null) return [];
  const json = node as Json;
  if (json.type === 'Action.Execute') return [json];
  return Object.entries(json).flatMap(([key, value]) => (key === 'fallback' ? [] : executeActions(value)));
}

/** The events a user can send from a view: its choices, its global actions, its FAQ and its form. */
function eventsOffered(view: StepView): ConversationEvent[] {
  const events: ConversationEvent[] = view.choices.map((c) => c.event);
  if (view.actions.includes('back')) events.push({ type: 'back' });
  if (view.actions.includes('escalate')) events.push({ type: 'escalate' });
  if (view.actions.includes('restart')) events.push({ type: 'restart' });
  if (view.actions.includes('faq'))
    events.push(...view.faq.map((f): ConversationEvent => ({ type: 'faq', faq: f.id })));
  if (view.form) events.push({ type: 'submit', values: {} });
  return events;
}

const guides = await allGuides();
const views = guides.flatMap((guide) => everyView(guide));

describe('reading back the actions of every card of every guide', () => {
  it('finds exactly the events the view offers, each read back from the Execute data', () => {
    for (const view of views) {
      const actions = executeActions(renderStepCard(view));
      const read = actions.map((a) => readCardAction(a.data));
      const where = `${view.flow?.id} ${view.step.id}`;
      expect(
        read.map((r) => (r.kind === 'event' ? r.event : r)),
        where,
      ).toEqual(expect.arrayContaining(eventsOffered(view)));
      expect(read.length, where).toBe(eventsOffered(view).length);
      for (const result of read) {
        expect(result, where).toMatchObject({
          kind: 'event',
          conversationId: view.conversationId ?? '',
          revision: view.revision,
          ...(view.flow ? { flowId: view.flow.id } : {}),
        });
      }
    }
  });

  it('reads the Action.Submit fallback of every action as its Execute', () => {
    for (const view of views) {
      for (const action of executeActions(renderStepCard(view))) {
        const fallback = action.fallback as Json;
        expect(action.verb).toBe(CARD_VERB);
        expect(fallback.type).toBe('Action.Submit');
        expect(fallback.title).toBe(action.title);
        expect(readCardAction(fallback.data)).toEqual(readCardAction(action.data));
      }
    }
  });

  it('maps a submitted form back to field ids, with yes/no inputs as booleans', () => {
    const view = views.find((v) => v.form && v.form.fields.length >= 2 && !v.form.optional);
    if (!view?.form) throw new Error('no guide has a capture form');
    const submit = executeActions(renderStepCard(view)).find(
      (a) => readCardAction(a.data).kind === 'event' && JSON.stringify(a.data).includes('"submit"'),
    );
    const [first, second] = view.form.fields;
    if (!submit || !first || !second) throw new Error('the form has no submit');
    // As Teams sends it: the inputs merged into the action's data, beside the payload.
    const merged = {
      ...(submit.data as Json),
      [`field:${first.id}`]: 'typed <at>text</at>',
      [`field:${second.id}`]: 'false',
      'field:also-here': 'true',
      'field:count': 42,
      'faq:pick': 'ignored',
      'field:bad id!': 'ignored',
      'field:nested': { not: 'a value' },
    };
    expect(readCardAction(merged)).toEqual({
      kind: 'event',
      conversationId: view.conversationId,
      revision: view.revision,
      flowId: view.flow?.id,
      event: {
        type: 'submit',
        values: { [first.id]: 'typed <at>text</at>', [second.id]: false, 'also-here': true, count: 42 },
      },
    });
    const fallback = { ...((submit.fallback as Json).data as Json), [`field:${first.id}`]: 'x' };
    expect(readCardAction(fallback)).toMatchObject({
      event: { type: 'submit', values: { [first.id]: 'x' } },
    });
  });

  it('ignores inputs sent along with anything but a submit', () => {
    const payload = { c: 'c-1', v: 3, e: { type: 'back' } };
    expect(readCardAction({ fixpath: payload, 'field:a': 'typed' })).toEqual({
      kind: 'event',
      conversationId: 'c-1',
      revision: 3,
      event: { type: 'back' },
    });
  });
});

describe('data that is not a fixpath card action', () => {
  const ok = { c: 'c-1', v: 3, f: 'disk-full', e: { type: 'choose', choice: 'logs' } };
  const cyclic: Json = { fixpath: ok };
  cyclic.self = cyclic;
  const throwing = Object.defineProperty({}, 'fixpath', {
    enumerable: true,
    get() {
      throw new Error('boom');
    },
  });

  it('reads the well-formed one it is compared with', () => {
    expect(readCardAction({ fixpath: ok })).toMatchObject({ kind: 'event', event: ok.e });
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'fixpath'],
    ['an array', [{ fixpath: ok }]],
    ['another bot’s data', { action: 'approve', id: 7 }],
    ['a payload that is not an object', { fixpath: 'c-1/3/logs' }],
    ['no conversation', { fixpath: { ...ok, c: undefined } }],
    ['a conversation id that is not text', { fixpath: { ...ok, c: 12 } }],
    ['a huge conversation id', { fixpath: { ...ok, c: 'c'.repeat(1000) } }],
    ['a revision that is text', { fixpath: { ...ok, v: '3' } }],
    ['a negative revision', { fixpath: { ...ok, v: -1 } }],
    ['a fractional revision', { fixpath: { ...ok, v: 1.5 } }],
    ['a guide id with spaces', { fixpath: { ...ok, f: 'disk full' } }],
    ['no event', { fixpath: { ...ok, e: undefined } }],
    ['an unknown event type', { fixpath: { ...ok, e: { type: 'delete_everything' } } }],
    ['a choice without its id', { fixpath: { ...ok, e: { type: 'choose' } } }],
    ['a choice id that is not an id', { fixpath: { ...ok, e: { type: 'choose', choice: '../../etc' } } }],
    ['a start without a guide', { fixpath: { ...ok, e: { type: 'start' } } }],
    ['an FAQ without its id', { fixpath: { ...ok, e: { type: 'faq', faq: 7 } } }],
    ['feedback that is not yes or no', { fixpath: { ...ok, e: { type: 'feedback', helpful: 'yes' } } }],
    [
      'an oversized submit',
      { fixpath: { ...ok, e: { type: 'submit', values: {} } }, 'field:a': 'x'.repeat(200_000) },
    ],
    ['a cyclic object', cyclic],
    ['a payload whose getter throws', throwing],
    ['a BigInt revision', { fixpath: { ...ok, v: 3n } }],
  ])('%s is unknown, without throwing', (_name, data) => {
    expect(readCardAction(data)).toEqual({ kind: 'unknown' });
  });
});
