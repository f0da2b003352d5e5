import { describe, expect, it } from 'vitest';
import { validateModal, validateSlackMessage } from '../../src/adapters/slack/block-kit-schema.ts';
import { countBlockText } from '../../src/adapters/slack/block-kit-text.ts';
import { SLACK_LIMITS } from '../../src/adapters/slack/limits.ts';
import { renderFormModal } from '../../src/adapters/slack/render-form-modal.ts';
import { renderStepMessage } from '../../src/adapters/slack/render-step-message.ts';
import { renderTicketMessage } from '../../src/adapters/slack/render-ticket-message.ts';
import type { Ticket } from '../../src/escalation/ticket.ts';
import type { StepView, ViewField } from '../../src/runtime/step-view.ts';
import { everyView } from '../helpers/explore-guide.ts';
import { ADA, allGuides } from '../helpers/guides.ts';

// Every message and modal fixpath can send Slack, checked against Slack's limits: each view of each
// guide, each form, each filed ticket, and views built to be far too big.

const guides = await allGuides();
const drawn = guides.flatMap((guide) =>
  everyView(guide).map((view) => ({ where: `${guide.definition.id} ${view.step.id}`, view })),
);
const META = { conversationKey: 'T024BE7LD:C024BE91L:1712345678.123456', messageTs: '1712345678.223456' };
const LINK = 'https://acme.slack.com/archives/C024BE91L/p1712345678123456';

describe('Slack step messages for every view of every guide', () => {
  it('explores every guide', () => {
    expect(guides.length).toBeGreaterThan(0);
    expect(drawn.length).toBeGreaterThan(guides.length * 10);
  });

  it('validate with no problems and carry a notification text', () => {
    const failures = drawn.flatMap(({ where, view }) => {
      const message = renderStepMessage(view);
      const problems = validateSlackMessage(message);
      if (message.text.trim() === '') problems.push('empty text');
      return problems.map((p) => `${where}: ${p}`);
    });
    expect(failures).toEqual([]);
  });

  it('open a modal that validates for every form', () => {
    const forms = drawn.filter(({ view }) => view.form);
    expect(forms.length).toBeGreaterThan(guides.length);
    const failures = forms.flatMap(({ where, view }) =>
      validateModal(renderFormModal(view, META)).map((p) => `${where}: ${p}`),
    );
    expect(failures).toEqual([]);
  });

  it('post a ticket message that validates for every filed escalation', () => {
    const filed = drawn.flatMap(({ where, view }) => (view.ticket ? [{ where, ticket: view.ticket }] : []));
    expect(filed.length).toBeGreaterThanOrEqual(guides.length);
    const failures = filed.flatMap(({ where, ticket }) =>
      validateSlackMessage(renderTicketMessage(ticket, { threadLink: LINK })).map((p) => `${where}: ${p}`),
    );
    expect(failures).toEqual([]);
  });
});

/** A real filed ticket, to grow into a huge one. */
const realTicket = drawn.find(({ view }) => view.ticket)?.view.ticket as Ticket;

function longLabel(i: number): string {
  return `Field ${i}: ${'what exactly did the proxy in front of the service answer '.repeat(4)}`.slice(
    0,
    200,
  );
}

/** Everything at once, each at or past what a guide may hold. */
function stressView(): StepView {
  const fields: ViewField[] = Array.from({ length: 30 }, (_, i) => ({
    id: `field_${i}`,
    label: longLabel(i),
    type: (['text', 'number', 'duration', 'choice', 'yesno'] as const)[i % 5] ?? 'text',
    required: i % 2 === 0,
    sensitive: i % 7 === 0,
    help: 'Look it up in the dashboard. '.repeat(20),
    placeholder: 'p'.repeat(150),
    ...(i % 5 === 3
      ? { options: Array.from({ length: 100 }, (_, o) => ({ id: `o${o}`, label: 'L'.repeat(75) })) }
      : {}),
    ...(i % 5 === 0 ? { multiline: true, maxLength: 3000 } : {}),
    value: '<!channel> & <@U123> '.repeat(200),
  }));
  return {
    conversationId: '0b6f1f5e-4a51-4d6a-9a8e-2f9a3f3c9d11',
    revision: 123456,
    status: 'escalated',
    flow: { id: 'stress-guide', title: 'T'.repeat(150), version: '12', hash: 'abcdef0123456789' },
    step: { id: 'stress', type: 'escalate', phase: 'filed' },
    title: `A very long step title ${'x'.repeat(200)}`,
    blocks: [
      { kind: 'text', text: `${'Paragraph with **bold** and `code` & <tags>. '.repeat(64)}`.slice(0, 2900) },
      { kind: 'labelled', label: 'Goal', text: 'g'.repeat(2500) },
      {
        kind: 'list',
        heading: 'Steps',
        ordered: true,
        items: Array.from({ length: 60 }, () => 'Do this. '.repeat(30)),
      },
      { kind: 'checklist', items: Array.from({ length: 40 }, () => 'Check that. '.repeat(20)) },
    ],
    prompt: 'Did it work? '.repeat(40),
    choices: Array.from({ length: 25 }, (_, i) => ({
      id: `choice-${i}`,
      label: `${i}`.padEnd(75, 'c'),
      description: 'd'.repeat(500),
      style: i === 0 ? 'primary' : i === 1 ? 'danger' : 'default',
      event: { type: 'choose', choice: `choice-${i}` },
    })),
    form: {
      title: 'A form title far longer than twenty-four characters',
      intro: 'i'.repeat(4000),
      submitLabel: 'Submit these answers to the team now',
      optional: false,
      fields,
      errors: Object.fromEntries(fields.map((f) => [f.id, 'e'.repeat(3000)])),
    },
    note: 'n'.repeat(4000),
    progress: { answered: 40, total: 80 },
    layer: { id: 'l', title: 'L'.repeat(75), index: 3, count: 9 },
    history: Array.from({ length: 40 }, (_, i) => ({
      step: `s${i}`,
      title: `Step ${i} ${'t'.repeat(150)}`,
      answer: `<@U123> typed ${'a'.repeat(500)}`,
      ...(i % 3 === 0 ? { outcome: 'did_not_work' as const } : {}),
    })),
    actions: ['back', 'restart', 'escalate', 'faq'],
    faq: Array.from({ length: 150 }, (_, i) => ({ id: `faq-${i}`, question: 'q'.repeat(75) })),
    faqAnswer: { id: 'faq-0', question: 'q'.repeat(75), answer: 'a'.repeat(300) },
    feedback: { question: 'Was this helpful?', given: true, thanks: 'Thanks. '.repeat(100) },
    ticket: stressTicket(),
    notice: { kind: 'warning', text: 'That card is out of date. '.repeat(100) },
  };
}

function stressTicket(): Ticket {
  return {
    ...realTicket,
    title: `${'Title '.repeat(60)}<!here>`,
    team: 'The team '.repeat(40),
    message: 'm'.repeat(5000),
    captureIntro: 'c'.repeat(3000),
    capture: Array.from({ length: 60 }, (_, i) => ({
      label: longLabel(i),
      value: '<!channel> '.repeat(400),
      fields: Array.from({ length: 1 + (i % 4) }, (_, f) => ({
        id: `f${f}`,
        label: longLabel(f),
        value: 'v'.repeat(2500),
      })),
    })),
    stepsTried: Array.from({ length: 60 }, (_, i) => ({
      step: `fix-${i}`,
      title: 'A fix that was tried '.repeat(7),
      outcome: (['worked', 'did_not_work', 'skipped'] as const)[i % 3] ?? 'worked',
      at: '2026-03-02T09:00:00.000Z',
      by: { id: 'U024BE7LH', name: '<@U999> Mallory'.repeat(10) },
    })),
    path: Array.from({ length: 100 }, (_, i) => ({
      step: `s${i}`,
      title: `Step ${i} ${'t'.repeat(140)}`,
      answer: `<https://evil.example|click> ${'a'.repeat(400)}`,
      at: '2026-03-02T09:00:00.000Z',
      by: ADA,
    })),
    ladder: {
      intro: 'i'.repeat(1000),
      reached: { id: 'l9', title: 'L'.repeat(75), index: 9, count: 30 },
      layers: Array.from({ length: 30 }, (_, i) => ({
        id: `l${i}`,
        title: 'L'.repeat(75),
        description: 'd'.repeat(500),
        visited: i < 9,
      })),
    },
  };
}

describe('Slack output for views built past every limit', () => {
  const view = stressView();

  it('keeps the step message within Slack limits', () => {
    const message = renderStepMessage(view);
    expect(validateSlackMessage(message)).toEqual([]);
    expect(countBlockText(message.blocks)).toBeLessThanOrEqual(SLACK_LIMITS.totalText);
  });

  it('keeps the 2,900-character text whole when nothing else crowds it out', () => {
    const text = view.blocks[0];
    const message = renderStepMessage({ ...view, blocks: text ? [text] : [], form: null, ticket: null });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain(
      JSON.stringify('Paragraph with *bold* and `code` &amp; &lt;tags&gt;.').slice(1, -1),
    );
  });

  it('still fits when everything around the step text is at its largest too', () => {
    const crowded: StepView = {
      ...view,
      faqAnswer: { id: 'faq-0', question: 'q'.repeat(75), answer: 'Long answer. '.repeat(800) },
      feedback: { question: 'Was this helpful?', given: null, thanks: 'Thanks.' },
      status: 'active',
    };
    expect(validateSlackMessage(renderStepMessage(crowded))).toEqual([]);
  });

  it('keeps the form modal within Slack limits', () => {
    expect(validateModal(renderFormModal(view, META))).toEqual([]);
  });

  it('keeps the ticket message within Slack limits, with 100 path entries', () => {
    const message = renderTicketMessage(view.ticket as Ticket, { threadLink: LINK });
    expect(validateSlackMessage(message)).toEqual([]);
    expect(JSON.stringify(message)).toContain('100 answers');
  });
});

/** A valid message with `blocks` blocks, to break one rule at a time. */
function message(blocks: number) {
  return {
    text: 'fallback',
    blocks: Array.from({ length: blocks }, (_, i) => ({
      type: 'section',
      block_id: `b${i}`,
      text: { type: 'mrkdwn', text: `Block ${i}` },
    })),
  };
}

function modal(title: string) {
  return {
    type: 'modal',
    title: { type: 'plain_text', text: title },
    submit: { type: 'plain_text', text: 'Save' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'input',
        block_id: 'name',
        label: { type: 'plain_text', text: 'Name' },
        element: { type: 'plain_text_input', action_id: 'value' },
      },
    ],
  };
}

describe('the Block Kit validators', () => {
  it('accept the hand-made message and modal the failures below are built from', () => {
    expect(validateSlackMessage(message(50))).toEqual([]);
    expect(validateModal(modal('x'.repeat(24)))).toEqual([]);
  });

  it('refuse a message with 51 blocks', () => {
    expect(validateSlackMessage(message(51))).toEqual(['the message has 51 blocks, over the 50 limit']);
  });

  it('refuse a 76-character button text', () => {
    const bad = message(1);
    bad.blocks.push({
      type: 'actions',
      block_id: 'row',
      elements: [{ type: 'button', action_id: 'go', text: { type: 'plain_text', text: 'b'.repeat(76) } }],
    } as never);
    expect(validateSlackMessage(bad)).toEqual([
      'blocks[1].elements[0].text.text: button text is 76 characters, over the 75 limit',
    ]);
  });

  it('refuse a duplicate block_id', () => {
    const bad = message(3);
    bad.blocks[2] = { ...bad.blocks[2], block_id: 'b0' } as (typeof bad.blocks)[number];
    expect(validateSlackMessage(bad)).toEqual(['blocks[2]: duplicate block_id "b0" (also blocks[0])']);
  });

  it('refuse a 25-character modal title', () => {
    expect(validateModal(modal('x'.repeat(25)))).toEqual([
      'title.text: modal title is 25 characters, over the 24 limit',
    ]);
  });

  it('refuse the other kinds of mistake too', () => {
    const actions = (elements: unknown[]) => ({
      text: 't',
      blocks: [{ type: 'actions', block_id: 'a', elements }],
    });
    const button = (id: string, extra: object = {}) => ({
      type: 'button',
      action_id: id,
      text: { type: 'plain_text', text: 'Go' },
      ...extra,
    });
    expect(validateSlackMessage({ text: ' ', blocks: [] })).toEqual([
      'text (the notification fallback) is empty',
    ]);
    expect(validateSlackMessage(actions([button('x'), button('x')]))).toEqual([
      'blocks[0]: duplicate action_id "x" in one block',
    ]);
    expect(validateSlackMessage(actions(Array.from({ length: 26 }, (_, i) => button(`b${i}`))))).toEqual([
      'blocks[0].elements: an actions block has 26 elements, over the 25 limit',
    ]);
    expect(validateSlackMessage(actions([button('x', { value: 'v'.repeat(2001) })]))).toEqual([
      'blocks[0].elements[0].value: button value is 2001 characters, over the 2000 limit',
    ]);
    expect(validateSlackMessage(actions([button('a'.repeat(256))]))).toEqual([
      'blocks[0].elements[0].action_id: action_id is 256 characters, over the 255 limit',
    ]);
    const select = (options: number, text = 'o') => ({
      type: 'static_select',
      action_id: 's',
      options: Array.from({ length: options }, (_, i) => ({
        text: { type: 'plain_text', text },
        value: `v${i}`,
      })),
    });
    expect(validateSlackMessage(actions([select(101)]))).toEqual([
      'blocks[0].elements[0].options: a select has 101 options, over the 100 limit',
    ]);
    expect(validateSlackMessage(actions([select(1, 'o'.repeat(76))]))).toEqual([
      'blocks[0].elements[0].options[0].text.text: option text is 76 characters, over the 75 limit',
    ]);
    const long = {
      text: 't',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 's'.repeat(3001) } }],
    };
    expect(validateSlackMessage(long)).toEqual([
      'blocks[0].text.text: section text is 3001 characters, over the 3000 limit',
    ]);
    const heavy = {
      text: 't',
      blocks: Array.from({ length: 5 }, () => long.blocks[0]).map((b) => ({
        ...b,
        text: { type: 'mrkdwn', text: 's'.repeat(2500) },
      })),
    };
    expect(validateSlackMessage(heavy)).toEqual([
      'the blocks hold 12500 characters of text, over the 12000 fixpath allows (Slack answers msg_blocks_too_long near 13,200)',
    ]);
    expect(validateModal({ ...modal('Title'), private_metadata: 'm'.repeat(3001) })).toEqual([
      'private_metadata: private_metadata is 3001 characters, over the 3000 limit',
    ]);
    expect(validateModal({ ...modal('Title'), submit: undefined })).toEqual([
      'a modal with inputs needs a submit label',
    ]);
  });
});
