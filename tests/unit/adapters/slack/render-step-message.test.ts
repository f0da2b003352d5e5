import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { readAction } from '../../../../src/adapters/slack/action-ids.ts';
import { validateSlackMessage } from '../../../../src/adapters/slack/block-kit-schema.ts';
import { renderStepMessage } from '../../../../src/adapters/slack/render-step-message.ts';
import type { HistoryItem, StepView } from '../../../../src/runtime/step-view.ts';
import { everyView } from '../../../helpers/explore-guide.ts';
import { allGuides } from '../../../helpers/guides.ts';

/** A fix step of the session-expiry guide, as the runtime would hand it over. */
function fixView(overrides: Partial<StepView> = {}): StepView {
  return {
    conversationId: '0b6f1f5e-4a51-4d6a-9a8e-2f9a3f3c9d11',
    revision: 4,
    status: 'active',
    flow: { id: 'session-expiry', title: 'Fix a session that expires fast', version: '3', hash: 'h' },
    step: { id: 'fix-server-timeout', type: 'fix' },
    title: 'Raise the server session timeout',
    blocks: [
      { kind: 'labelled', label: 'Goal', text: 'The session lasts as long as **policy** allows.' },
      { kind: 'list', ordered: true, items: ['Open `config/session.yml`.', 'Set `timeout: 8h` & restart.'] },
    ],
    prompt: 'Did it work?',
    choices: [
      { id: 'good', label: 'Sessions last now', style: 'primary', event: { type: 'choose', choice: 'good' } },
      { id: 'bad', label: 'Still expires', style: 'danger', event: { type: 'choose', choice: 'bad' } },
      { id: 'skip', label: 'Cannot change it', style: 'default', event: { type: 'choose', choice: 'skip' } },
    ],
    form: null,
    note: null,
    progress: { answered: 3, total: 5 },
    layer: { id: 'server', title: 'Server configuration', index: 2, count: 4 },
    history: [
      { step: 'triage', title: 'When does the session end?', answer: 'After a fixed time' },
      { step: 'fix-cookie', title: 'Set a cookie max age', answer: 'Still expires', outcome: 'did_not_work' },
      { step: 'fix-clock', title: 'Sync the clock', answer: 'Cannot change it', outcome: 'skipped' },
      { step: 'verify-store', title: 'Check the store', answer: 'All checks pass', outcome: 'worked' },
    ],
    actions: ['back', 'restart', 'escalate', 'faq'],
    faq: [
      { id: 'why-logout', question: 'Why am I logged out when I close the browser?' },
      { id: 'remember-me', question: 'What does "remember me" change?' },
    ],
    faqAnswer: null,
    feedback: null,
    ticket: null,
    notice: null,
    ...overrides,
  };
}

const all = (message: { blocks: types.KnownBlock[] }) => JSON.stringify(message.blocks);
const contextText = (block: types.KnownBlock | undefined) =>
  block?.type === 'context' ? block.elements.map((e) => ('text' in e ? e.text : '')).join(' ') : '';
type Element = types.Button | types.StaticSelect;
const buttons = (message: { blocks: types.KnownBlock[] }) =>
  message.blocks.flatMap((b): Element[] =>
    b.type === 'actions'
      ? (b.elements as Element[])
      : b.type === 'section' && b.accessory
        ? [b.accessory as Element]
        : [],
  );

describe('renderStepMessage', () => {
  it('draws the step as one message: history, title, progress and layer, text, question, buttons, global actions', () => {
    const message = renderStepMessage(fixView());
    expect(validateSlackMessage(message)).toEqual([]);
    expect(message.blocks.map((b) => b.type)).toEqual([
      'context',
      'header',
      'context',
      'section',
      'section',
      'section',
      'actions',
      'divider',
      'actions',
    ]);
    expect(message.blocks[1]).toMatchObject({
      type: 'header',
      text: { text: 'Raise the server session timeout' },
    });
    expect(contextText(message.blocks[2])).toBe(
      '*Fix a session that expires fast*  ·  Step 4 of 6  ·  Layer 2 of 4: Server configuration',
    );
    expect(message.blocks[3]).toMatchObject({
      text: { text: '*Goal:* The session lasts as long as *policy* allows.' },
    });
    expect(message.blocks[4]).toMatchObject({
      text: { text: '1. Open `config/session.yml`.\n2. Set `timeout: 8h` &amp; restart.' },
    });
    expect(message.blocks[5]).toMatchObject({ text: { text: '*Did it work?*' } });
  });

  it('sets a meaningful notification text', () => {
    expect(renderStepMessage(fixView()).text).toBe(
      'Fix a session that expires fast: Raise the server session timeout',
    );
  });

  it('styles good outcomes primary and bad ones danger, each button carrying its event', () => {
    const [good, bad, skip] = buttons(renderStepMessage(fixView())) as types.Button[];
    expect(good).toMatchObject({
      style: 'primary',
      text: { text: 'Sessions last now' },
      action_id: 'fp:choice:0',
    });
    expect(bad).toMatchObject({ style: 'danger', text: { text: 'Still expires' } });
    expect(skip).not.toHaveProperty('style');
    expect(JSON.parse(bad?.value ?? '')).toEqual({ type: 'choose', choice: 'bad' });
  });

  it('offers only the global actions the view allows, with the FAQ as a select', () => {
    const labels = (view: StepView) =>
      buttons(renderStepMessage(view)).flatMap((e) =>
        e.type === 'button' ? [e.text.text] : [`select:${e.type}`],
      );
    expect(labels(fixView())).toEqual([
      'Sessions last now',
      'Still expires',
      'Cannot change it',
      'Back',
      'Start over',
      'I need help now',
      'select:static_select',
    ]);
    expect(labels(fixView({ actions: ['escalate'] }))).toEqual([
      'Sessions last now',
      'Still expires',
      'Cannot change it',
      'I need help now',
    ]);
    const select = buttons(renderStepMessage(fixView())).find(
      (e) => e.type === 'static_select',
    ) as types.StaticSelect;
    expect(select.options?.map((o) => o.value)).toEqual(['why-logout', 'remember-me']);
  });

  it('asks before starting over a conversation in progress', () => {
    const restart = buttons(renderStepMessage(fixView())).find(
      (e) => e.action_id === 'fp:restart',
    ) as types.Button;
    expect(restart.confirm?.title?.text).toBe('Start over?');
  });
});

describe('the history above the step', () => {
  const history = (view: StepView) => contextText(renderStepMessage(view).blocks[0]);

  it('collapses the answered steps into one line marked by outcome', () => {
    expect(history(fixView())).toBe(
      '· When does the session end? After a fixed time  ·  ✗ Set a cookie max age: Still expires  ·  ⤼ Sync the clock: Cannot change it  ·  ✓ Check the store: All checks pass',
    );
  });

  it('keeps the newest answers when it has to shorten, after a count of the earlier ones', () => {
    const long: HistoryItem[] = Array.from({ length: 40 }, (_, i) => ({
      step: `s${i}`,
      title: `Step number ${i} of a long guide`,
      answer: `Answer ${i} ${'with words '.repeat(5)}`,
      outcome: 'did_not_work',
    }));
    const line = history(fixView({ history: long }));
    expect(line.length).toBeLessThanOrEqual(700);
    expect(line).toMatch(/^… \d+ earlier {2}· {2}✗ Step number \d+/);
    expect(line).toContain('✗ Step number 39 of a long guide: Answer 39');
    expect(line).not.toContain('Step number 0 ');
    const dropped = Number(/^… (\d+) earlier/.exec(line)?.[1]);
    expect(line).toContain(`Step number ${dropped} of`);
    expect(line).not.toContain(`Step number ${dropped - 1} of`);
  });

  it('shows no history line before the first answer', () => {
    expect(renderStepMessage(fixView({ history: [] })).blocks[0]?.type).toBe('header');
  });

  it('makes mentions and links typed in an answer inert', () => {
    const typed = '<@U123> <!channel> & <https://evil.example|click>';
    const message = renderStepMessage(
      fixView({ history: [{ step: 'capture', title: 'What failed?', answer: typed }] }),
    );
    const element = (message.blocks[0] as types.ContextBlock).elements[0] as types.MrkdwnElement;
    expect(element.text).toBe(
      '· What failed? &lt;@U123&gt; &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;',
    );
    expect(element.verbatim).toBe(true);
  });
});

describe('notices, FAQ answers and forms', () => {
  it('shows the out-of-date notice first, clearly marked', () => {
    const message = renderStepMessage(
      fixView({ notice: { kind: 'warning', text: 'That card is out of date, so nothing changed.' } }),
    );
    expect(message.blocks[0]).toMatchObject({
      type: 'section',
      text: { text: ':warning: That card is out of date, so nothing changed.' },
    });
  });

  it('shows an FAQ answer as a quote under its question, before the buttons', () => {
    const message = renderStepMessage(
      fixView({
        faqAnswer: {
          id: 'why-logout',
          question: 'Why am I logged out?',
          answer: 'The cookie has no `maxAge`.\nSet one.',
        },
      }),
    );
    const index = message.blocks.findIndex((b) => all({ blocks: [b] }).includes(':bulb:'));
    expect(message.blocks[index]).toMatchObject({
      text: { text: ':bulb: *Why am I logged out?*\n>The cookie has no `maxAge`.\n>Set one.' },
    });
    expect(index).toBeLessThan(message.blocks.findIndex((b) => b.type === 'actions'));
  });

  it('summarises a required form and opens it with a primary "Fill in" button', () => {
    const view = fixView({
      step: { id: 'capture', type: 'capture' },
      title: 'What does the cookie say?',
      prompt: null,
      choices: [],
      form: {
        title: 'What does the cookie say?',
        intro: 'Read it in DevTools.',
        submitLabel: 'Save',
        optional: false,
        fields: [
          {
            id: 'cookie_name',
            label: 'Cookie name',
            type: 'text',
            required: true,
            sensitive: false,
            value: '<b>sid</b>',
          },
          { id: 'max_age', label: 'Max age', type: 'duration', required: false, sensitive: false },
          { id: 'cookie_value', label: 'Cookie value', type: 'text', required: true, sensitive: true },
        ],
        errors: {},
      },
    });
    const message = renderStepMessage(view);
    expect(validateSlackMessage(message)).toEqual([]);
    expect(all(message)).toContain(
      'Read it in DevTools.\\n✓ Cookie name: &lt;b&gt;sid&lt;/b&gt;\\n○ Max age _(optional)_\\n:lock: Cookie value',
    );
    const [fill] = buttons(message) as types.Button[];
    expect(fill).toMatchObject({
      action_id: 'fp:form',
      style: 'primary',
      text: { text: 'Edit the details' },
    });
    const read = readAction({
      block_id: message.blocks.find((b) => b.type === 'actions')?.block_id,
      action_id: 'fp:form',
      value: 'form',
    });
    expect(read).toEqual({
      kind: 'open-form',
      conversationId: view.conversationId,
      revision: 4,
      flowId: 'session-expiry',
    });
  });

  it('offers a fix step’s optional record form as a plain button beside its explanation', () => {
    const view = fixView({
      form: {
        title: 'Record what you found',
        intro: 'Optional: what you record goes into the ticket.',
        submitLabel: 'Record',
        optional: true,
        fields: [
          { id: 'timeout', label: 'Timeout found', type: 'duration', required: false, sensitive: false },
        ],
        errors: {},
      },
    });
    const section = renderStepMessage(view).blocks.find(
      (b) => b.type === 'section' && b.accessory,
    ) as types.SectionBlock;
    expect(section.text?.text).toBe('Optional: what you record goes into the ticket.');
    expect(section.accessory).toMatchObject({
      type: 'button',
      action_id: 'fp:form',
      text: { text: 'Record what you found' },
    });
    expect(section.accessory).not.toHaveProperty('style');
  });

  it('lists refused answers with their errors and asks to correct them', () => {
    const field = {
      id: 'max_age',
      label: 'Max age',
      type: 'duration' as const,
      required: true,
      sensitive: false,
      value: 'soon',
    };
    const view = fixView({
      form: {
        title: 'Cookie',
        intro: null,
        submitLabel: 'Save',
        optional: false,
        fields: [field],
        errors: { max_age: 'Enter a duration such as 30m.' },
      },
    });
    const message = renderStepMessage(view);
    expect(all(message)).toContain(
      ':warning: One answer needs another look.\\n:warning: Max age: Enter a duration such as 30m.',
    );
    expect(buttons(message).find((b) => b.action_id === 'fp:form')).toMatchObject({
      text: { text: 'Correct the answers' },
    });
  });
});

describe('the end of a guide', () => {
  const resolved = (given: boolean | null) =>
    fixView({
      status: 'resolved',
      step: { id: 'done', type: 'resolve' },
      title: 'Sessions last again',
      blocks: [{ kind: 'text', text: 'Keep the new timeout in source control.' }],
      prompt: null,
      choices:
        given === null
          ? [
              { id: 'helpful', label: 'Yes', style: 'primary', event: { type: 'feedback', helpful: true } },
              {
                id: 'not-helpful',
                label: 'No',
                style: 'default',
                event: { type: 'feedback', helpful: false },
              },
            ]
          : [],
      feedback: { question: 'Was this helpful?', given, thanks: 'Thanks for your feedback.' },
      actions: ['restart'],
    });

  it('asks whether the guide helped, with its two buttons', () => {
    const message = renderStepMessage(resolved(null));
    expect(all(message)).toContain('*Was this helpful?*');
    expect(buttons(message).map((b) => (b.type === 'button' ? b.text.text : ''))).toEqual([
      'Yes',
      'No',
      'Start over',
    ]);
    expect(all(message)).toContain('✓ Resolved');
  });

  it('thanks for feedback once given', () => {
    const message = renderStepMessage(resolved(true));
    expect(all(message)).not.toContain('Was this helpful?');
    expect(all(message)).toContain(':+1: Thanks for your feedback.');
    expect(buttons(message).find((b) => b.action_id === 'fp:restart')).not.toHaveProperty('confirm');
  });

  it('summarises a filed escalation: team, severity and what was captured', async () => {
    const [guide] = await allGuides();
    const filed = guide ? everyView(guide).find((v) => v.ticket) : undefined;
    expect(filed?.ticket).toBeTruthy();
    if (!filed?.ticket) return;
    const message = renderStepMessage(filed);
    expect(validateSlackMessage(message)).toEqual([]);
    const text = all(message);
    expect(text).toContain(filed.ticket.team);
    expect(text).toMatch(/Normal severity|High severity|Low severity|Urgent severity/);
    for (const item of filed.ticket.capture.slice(0, 10)) expect(text).toContain(item.label);
  });
});

describe('long guide text', () => {
  it('is split into several sections, none over 3,000 characters, keeping every word', () => {
    const text = Array.from(
      { length: 12 },
      (_, i) => `Paragraph ${i}. ${'A sentence of guide text. '.repeat(30)}`,
    ).join('\n\n');
    const message = renderStepMessage(fixView({ blocks: [{ kind: 'text', text }] }));
    expect(validateSlackMessage(message)).toEqual([]);
    const sections = message.blocks.filter(
      (b): b is types.SectionBlock => b.type === 'section' && !!b.text?.text.startsWith('Paragraph'),
    );
    expect(sections.length).toBeGreaterThan(2);
    expect(
      sections
        .map((s) => s.text?.text)
        .join(' ')
        .split(/\s+/),
    ).toEqual(text.trim().split(/\s+/));
  });

  it('is cut gracefully, saying so, when it cannot all fit in one message', () => {
    const text = 'Very long guide text. '.repeat(2000);
    const message = renderStepMessage(fixView({ blocks: [{ kind: 'text', text }] }));
    expect(validateSlackMessage(message)).toEqual([]);
    expect(all(message)).toContain('shortened here');
    expect(message.blocks.at(-1)?.type).toBe('actions');
  });
});
