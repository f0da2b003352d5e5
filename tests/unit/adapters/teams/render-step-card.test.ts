import { describe, expect, it } from 'vitest';
import { readCardAction } from '../../../../src/adapters/teams/read-card-action.ts';
import {
  DURATION_OR_NUMBER_REGEX,
  DURATION_REGEX,
} from '../../../../src/adapters/teams/render-form-inputs.ts';
import { type AdaptiveCard, renderStepCard } from '../../../../src/adapters/teams/render-step-card.ts';
import type { StepView, ViewField, ViewForm } from '../../../../src/runtime/step-view.ts';

type Json = Record<string, unknown>;

const view = (overrides: Partial<StepView> = {}): StepView => ({
  conversationId: 'c-1',
  revision: 4,
  status: 'active',
  flow: {
    id: 'session-expiry',
    title: 'Fix a session that expires fast',
    version: '3',
    hash: '0123456789abcdef',
  },
  step: { id: 'raise-timeout', type: 'fix' },
  title: 'Raise the server timeout',
  blocks: [
    { kind: 'labelled', label: 'Goal', text: 'Sessions last as long as `session.timeout` says.' },
    { kind: 'list', items: ['Open **config.yaml**', 'Set `timeout: 8h`'], ordered: true },
  ],
  prompt: 'Did it work?',
  choices: [
    { id: 'good', label: 'It lasts now', style: 'primary', event: { type: 'choose', choice: 'good' } },
    { id: 'bad', label: 'Still expires', style: 'danger', event: { type: 'choose', choice: 'bad' } },
  ],
  form: null,
  note: null,
  progress: { answered: 2, total: 6 },
  layer: { id: 'app', title: 'App config', index: 2, count: 4 },
  history: [],
  actions: ['back', 'restart', 'escalate', 'faq'],
  faq: [{ id: 'why', question: 'Why would a session expire too quickly?' }],
  faqAnswer: null,
  feedback: null,
  ticket: null,
  notice: null,
  ...overrides,
});

const field = (overrides: Partial<ViewField> & Pick<ViewField, 'id' | 'type'>): ViewField => ({
  label: `The ${overrides.id}`,
  required: true,
  sensitive: false,
  ...overrides,
});

const capture = (fields: ViewField[], form: Partial<ViewForm> = {}): StepView =>
  view({
    step: { id: 'details', type: 'capture' },
    title: 'Tell us about the session',
    blocks: [],
    prompt: null,
    choices: [],
    form: {
      title: 'Tell us about the session',
      intro: null,
      submitLabel: 'Save',
      optional: false,
      fields,
      errors: {},
      ...form,
    },
  });

/** Every object in a card, depth first, ShowCard cards and action fallbacks included. */
function nodes(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(nodes);
  if (typeof node !== 'object' || node === null) return [];
  return [node as Json, ...Object.values(node).flatMap(nodes)];
}

const byType = (card: AdaptiveCard, type: string) => nodes(card).filter((n) => n.type === type);
const texts = (card: AdaptiveCard) => byType(card, 'TextBlock').map((t) => String(t.text));
const input = (card: AdaptiveCard, id: string) => nodes(card).find((n) => n.id === `field:${id}`);
const firstText = (card: AdaptiveCard) => String((card.body[0] as Json | undefined)?.text);
const titles = (actions: unknown) => (actions as Json[] | undefined)?.map((a) => a.title) ?? [];

describe('the step card', () => {
  it('is a version 1.5 card with the step title as a bolder heading and a fallbackText', () => {
    const card = renderStepCard(view());
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(card.fallbackText).toContain('Raise the server timeout');
    expect(card.fallbackText).toContain('Did it work?');
    expect(byType(card, 'TextBlock')).toContainEqual(
      expect.objectContaining({ text: 'Raise the server timeout', weight: 'bolder', size: 'large' }),
    );
  });

  it('shows progress and the ladder layer as a subtle line under the title', () => {
    const meta = byType(renderStepCard(view()), 'TextBlock').find((t) =>
      String(t.text).includes('Step 3 of 7'),
    );
    expect(meta).toMatchObject({
      text: 'Fix a session that expires fast · Step 3 of 7 · Layer 2 of 4: App config',
      isSubtle: true,
    });
  });

  it('keeps the guide’s Markdown (bold, a numbered list) and shows code spans, which Teams cannot draw, as plain text', () => {
    const all = texts(renderStepCard(view()));
    expect(all).toContain('**Goal:** Sessions last as long as session.timeout says.');
    expect(all).toContain('1. Open **config.yaml**\r2. Set timeout: 8h');
    expect(all.join('\n')).not.toContain('`');
  });

  it('draws each choice as an Execute with a Submit fallback, good as positive and bad as destructive', () => {
    const card = renderStepCard(view());
    const sets = byType(card, 'ActionSet');
    expect(sets[0]).toMatchObject({
      actions: [
        {
          type: 'Action.Execute',
          title: 'It lasts now',
          style: 'positive',
          fallback: { type: 'Action.Submit' },
        },
        {
          type: 'Action.Execute',
          title: 'Still expires',
          style: 'destructive',
          fallback: { type: 'Action.Submit' },
        },
      ],
    });
  });

  it('gives many or long choices a button each, never more than five side by side', () => {
    const choices = Array.from({ length: 9 }, (_, i) => ({
      id: `c${i}`,
      label: `A rather long choice label number ${i}`,
      style: 'default' as const,
      event: { type: 'choose' as const, choice: `c${i}` },
    }));
    const card = renderStepCard(view({ choices }));
    const sets = byType(card, 'ActionSet').filter((s) => JSON.stringify(s).includes('"choose"'));
    expect(sets).toHaveLength(9);
    for (const set of byType(card, 'ActionSet'))
      expect((set.actions as unknown[]).length).toBeLessThanOrEqual(5);
    expect((card.actions ?? []).length).toBeLessThanOrEqual(5);
  });

  it('offers only the global actions the view allows, Start over in the overflow menu', () => {
    expect(titles(renderStepCard(view()).actions)).toEqual([
      'Back',
      'I need help now',
      'Common questions',
      'Start over',
    ]);
    expect(renderStepCard(view()).actions?.at(-1)).toMatchObject({ mode: 'secondary' });
    expect(titles(renderStepCard(view({ actions: ['escalate'] })).actions)).toEqual(['I need help now']);
    expect(renderStepCard(view({ actions: [] })).actions).toBeUndefined();
  });

  it('sends no inputs with anything but a form submit, so an empty required field never blocks Back', () => {
    const card = renderStepCard(capture([field({ id: 'hostname', type: 'text' })]));
    for (const action of nodes(card).filter(
      (n) => n.type === 'Action.Execute' || n.type === 'Action.Submit',
    )) {
      const submit = JSON.stringify(action.data).includes('"submit"');
      expect(action.associatedInputs, String(action.title)).toBe(submit ? undefined : 'none');
    }
  });

  it('opens the FAQ questions as one button each, each sending its faq event', () => {
    const faq = renderStepCard(view()).actions?.find((a) => (a as Json).title === 'Common questions') as Json;
    expect(faq.type).toBe('Action.ShowCard');
    const [question] = nodes(faq.card).filter((n) => n.type === 'Action.Execute');
    expect(question?.title).toBe('Why would a session expire too quickly?');
    expect(readCardAction(question?.data)).toMatchObject({ event: { type: 'faq', faq: 'why' } });
  });

  it('shows an FAQ answer and a notice in their own containers', () => {
    const card = renderStepCard(
      view({
        faqAnswer: {
          id: 'why',
          question: 'Why would a session expire too quickly?',
          answer: 'A short `maxAge`.',
        },
        notice: { kind: 'warning', text: 'That card is out of date, so nothing changed.' },
      }),
    );
    const containers = byType(card, 'Container');
    expect(containers).toContainEqual(
      expect.objectContaining({
        style: 'warning',
        items: [expect.objectContaining({ text: 'That card is out of date, so nothing changed.' })],
      }),
    );
    expect(containers).toContainEqual(
      expect.objectContaining({
        style: 'emphasis',
        items: [
          expect.objectContaining({ text: 'Why would a session expire too quickly?' }),
          expect.objectContaining({ text: 'A short maxAge.' }),
        ],
      }),
    );
    const error = renderStepCard(view({ notice: { kind: 'error', text: 'Something broke.' } }));
    expect(byType(error, 'Container')).toContainEqual(expect.objectContaining({ style: 'attention' }));
  });

  it('shows question choices’ descriptions in the body', () => {
    const card = renderStepCard(
      view({
        step: { id: 'when', type: 'question' },
        prompt: null,
        choices: [
          {
            id: 'fixed',
            label: 'After a fixed time',
            description: 'Always 30 minutes in.',
            style: 'default',
            event: { type: 'choose', choice: 'fixed' },
          },
          { id: 'idle', label: 'When idle', style: 'default', event: { type: 'choose', choice: 'idle' } },
        ],
      }),
    );
    expect(texts(card)).toContain('- **After a fixed time**: Always 30 minutes in.');
  });

  it('asks for feedback on a resolved step, then thanks', () => {
    const resolved = {
      status: 'resolved' as const,
      step: { id: 'done', type: 'resolve' as const },
      prompt: null,
      choices: [
        {
          id: 'helpful',
          label: 'Yes',
          style: 'primary' as const,
          event: { type: 'feedback' as const, helpful: true },
        },
        {
          id: 'not-helpful',
          label: 'No',
          style: 'default' as const,
          event: { type: 'feedback' as const, helpful: false },
        },
      ],
      actions: ['restart' as const],
    };
    const asking = renderStepCard(
      view({ ...resolved, feedback: { question: 'Was this helpful?', given: null, thanks: 'Thanks!' } }),
    );
    expect(texts(asking)).toContain('Was this helpful?');
    expect(titles(byType(asking, 'ActionSet')[0]?.actions)).toEqual(['Yes', 'No']);
    const thanked = renderStepCard(
      view({
        ...resolved,
        choices: [],
        feedback: { question: 'Was this helpful?', given: true, thanks: 'Thanks!' },
      }),
    );
    expect(texts(thanked)).toContain('Thanks!');
    expect(texts(thanked)).not.toContain('Was this helpful?');
  });
});

describe('the history of answered steps', () => {
  const history = Array.from({ length: 40 }, (_, i) => ({
    step: `s${i}`,
    title: `Fix ${i}`,
    answer: `answer ${i}`,
    ...(i % 2 === 0 ? { outcome: 'did_not_work' as const } : {}),
  }));

  it('collapses into one subtle, small line above the title', () => {
    const card = renderStepCard(
      view({
        history: [
          { step: 'when', title: 'When does it expire?', answer: 'Expires after a fixed time' },
          {
            step: 'timeout',
            title: 'Raised the server timeout',
            answer: 'still expires',
            outcome: 'did_not_work',
          },
        ],
      }),
    );
    expect(card.body[0]).toMatchObject({
      type: 'TextBlock',
      text: '✓ Expires after a fixed time · ✗ Raised the server timeout: still expires',
      isSubtle: true,
      size: 'small',
    });
  });

  it('keeps the newest answers when shortened, and says how many earlier ones it left out', () => {
    const line = firstText(renderStepCard(view({ history })));
    expect(line).toMatch(/^\d+ earlier · /);
    expect(line).toContain('answer 39');
    expect(line).not.toContain('answer 0 ');
    const hidden = Number(line.match(/^(\d+) earlier/)?.[1]);
    expect(hidden + line.split(' · ').length - 1).toBe(40);
  });
});

describe('typed text on the card', () => {
  const hostile = '[click me](https://evil.example) <at>Boss</at> **loud** _slanted_';

  it('cannot become a link, emphasis or a mention in the history', () => {
    const line = firstText(
      renderStepCard(view({ history: [{ step: 'x', title: 'What changed?', answer: hostile }] })),
    );
    expect(line).toBe(
      '✓ \\[click me\\](https://evil.example) \\<at\\>Boss\\</at\\> \\*\\*loud\\*\\* \\_slanted\\_',
    );
  });

  it('is escaped in a filed ticket’s summary, and kept as typed in an input', () => {
    const base = view();
    const ticket = {
      title: `Session expiry: ${hostile}`,
      guide: { id: 'session-expiry', title: 'Fix a session', version: '3', hash: 'h', owner: 'Web team' },
      conversationId: 'c-1',
      escalationNumber: 1,
      reporter: { id: 'U1', name: '<at>Ada</at>' },
      createdAt: '2026-03-02T09:00:00.000Z',
      team: 'Web team',
      severity: 'high' as const,
      reason: 'guide' as const,
      headline: 'Escalate',
      message: 'Over to the web team.',
      capture: [{ label: 'What changed', value: hostile, fields: [] }],
      stepsTried: [],
      path: [],
      ladder: { reached: null, layers: [] },
      markdown: '',
    };
    const filed = JSON.stringify(renderStepCard({ ...base, status: 'escalated', ticket }));
    expect(filed).not.toContain('[click me]');
    expect(filed).not.toContain('<at>');
    expect(filed).toContain(JSON.stringify('\\[click me\\]').slice(1, -1));
    const typed = renderStepCard(capture([field({ id: 'what', type: 'text', value: hostile })]));
    expect(input(typed, 'what')?.value).toBe(hostile);
  });
});

describe('form inputs', () => {
  it('names inputs field:<id> and marks required ones, with a label and an error message', () => {
    const card = renderStepCard(
      capture([
        field({ id: 'hostname', type: 'text', placeholder: 'api.example.com', maxLength: 253 }),
        field({ id: 'notes', type: 'text', required: false, multiline: true, maxLength: 2000 }),
      ]),
    );
    expect(input(card, 'hostname')).toMatchObject({
      type: 'Input.Text',
      label: 'The hostname',
      isRequired: true,
      errorMessage: 'Required.',
      placeholder: 'api.example.com',
      maxLength: 253,
    });
    expect(input(card, 'notes')).toMatchObject({ isMultiline: true, maxLength: 2000 });
    expect(input(card, 'notes')).not.toHaveProperty('isRequired');
  });

  it('checks a text field’s pattern on the card, anchored, with its hint as the error message', () => {
    const hostname = {
      ...field({ id: 'hostname', type: 'text' }),
      pattern: '[a-z.]+',
      patternHint: 'A hostname only.',
    };
    const card = renderStepCard(capture([hostname]));
    expect(input(card, 'hostname')).toMatchObject({
      regex: '^(?:[a-z.]+)$',
      errorMessage: 'A hostname only.',
    });
  });

  it('checks durations with the engine’s pattern, and allows a bare number when the field has a unit', () => {
    const seconds = { ...field({ id: 'leeway', type: 'duration' }), unit: 's' as const };
    const card = renderStepCard(capture([field({ id: 'timeout', type: 'duration' }), seconds]));
    expect(input(card, 'timeout')).toMatchObject({
      type: 'Input.Text',
      regex: DURATION_REGEX,
      isRequired: true,
    });
    expect(String(input(card, 'timeout')?.errorMessage)).toContain('30m');
    expect(input(card, 'leeway')).toMatchObject({ regex: DURATION_OR_NUMBER_REGEX });
    expect(String(input(card, 'leeway')?.errorMessage)).toContain('A number alone means seconds.');
    const strict = new RegExp(DURATION_REGEX);
    const bare = new RegExp(DURATION_OR_NUMBER_REGEX);
    for (const ok of ['90s', '1h30m', ' 5 m ', '3600000ms', '7D', '1.5h'])
      expect(strict.test(ok), ok).toBe(true);
    for (const bad of ['30', 'soon', '1x', '', 'h']) expect(strict.test(bad), bad).toBe(false);
    for (const ok of ['30', '2.5', '1h']) expect(bare.test(ok), ok).toBe(true);
    for (const bad of ['thirty', '30 minutes']) expect(bare.test(bad), bad).toBe(false);
  });

  it('uses a number input with its bounds, a compact choice and yes/no radio buttons', () => {
    const card = renderStepCard(
      capture([
        field({ id: 'port', type: 'number', min: 1, max: 65535, value: '443' }),
        field({
          id: 'client',
          type: 'choice',
          options: [
            { id: 'curl', label: 'curl' },
            { id: 'java', label: 'Java' },
          ],
          value: 'java',
        }),
        field({ id: 'clock_ok', type: 'yesno', value: 'no' }),
      ]),
    );
    expect(input(card, 'port')).toMatchObject({
      type: 'Input.Number',
      min: 1,
      max: 65535,
      value: 443,
      isRequired: true,
    });
    expect(input(card, 'client')).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'compact',
      choices: [
        { title: 'curl', value: 'curl' },
        { title: 'Java', value: 'java' },
      ],
      value: 'java',
      errorMessage: 'Pick one.',
    });
    expect(input(card, 'clock_ok')).toMatchObject({
      type: 'Input.ChoiceSet',
      style: 'expanded',
      choices: [
        { title: 'Yes', value: 'true' },
        { title: 'No', value: 'false' },
      ],
      value: 'false',
    });
  });

  it('shows each refused field’s error in red right under its input', () => {
    const card = renderStepCard(
      capture(
        [
          field({ id: 'port', type: 'number', help: 'Usually 443.' }),
          field({ id: 'hostname', type: 'text' }),
        ],
        {
          errors: { port: 'At most 65535.' },
        },
      ),
    );
    const body = card.body as Json[];
    const at = body.findIndex((n) => n.id === 'field:port');
    expect(body[at + 1]).toMatchObject({ type: 'TextBlock', text: 'At most 65535.', color: 'attention' });
    expect(body[at + 2]).toMatchObject({ type: 'TextBlock', text: 'Usually 443.', isSubtle: true });
    const next = body.findIndex((n) => n.id === 'field:hostname');
    expect(body.slice(next).some((n) => n.color === 'attention')).toBe(false);
  });

  it('never fills in a sensitive field, and masks what is typed into it', () => {
    const card = renderStepCard(
      capture([
        field({ id: 'callback_url', type: 'text', sensitive: true, value: 'https://app/cb?code=SECRET' }),
      ]),
    );
    expect(input(card, 'callback_url')).toMatchObject({ style: 'password' });
    expect(input(card, 'callback_url')).not.toHaveProperty('value');
    expect(JSON.stringify(card)).not.toContain('SECRET');
  });

  it('tucks a fix step’s optional record form into "Record what you found", with nothing required', () => {
    const record: ViewForm = {
      title: 'Record what you found',
      intro: 'Optional.',
      submitLabel: 'Record',
      optional: true,
      fields: [field({ id: 'fix_applied', type: 'text', multiline: true })],
      errors: {},
    };
    const card = renderStepCard(view({ form: record }));
    const show = card.actions?.[0] as Json;
    expect(show).toMatchObject({ type: 'Action.ShowCard', title: 'Record what you found' });
    expect(input(card, 'fix_applied')).not.toHaveProperty('isRequired');
    expect((card.body as Json[]).some((n) => n.id === 'field:fix_applied')).toBe(false);
    const [submit] = nodes(show.card).filter((n) => n.type === 'Action.Execute');
    expect(submit).toMatchObject({ title: 'Record', style: 'positive' });
    expect(readCardAction({ ...(submit?.data as Json), 'field:fix_applied': 'Raised it' })).toMatchObject({
      event: { type: 'submit', values: { fix_applied: 'Raised it' } },
    });
    // Refused, it comes back open in the body so its errors are seen.
    const refused = renderStepCard(view({ form: { ...record, errors: { fix_applied: 'Too long.' } } }));
    expect((refused.body as Json[]).some((n) => n.id === 'field:fix_applied')).toBe(true);
    expect(texts(refused)).toContain('Too long.');
  });
});
