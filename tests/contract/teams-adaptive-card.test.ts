import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { jsonBytes, TEAMS_CARD_LIMITS } from '../../src/adapters/teams/card-limits.ts';
import { type AdaptiveCard, renderStepCard } from '../../src/adapters/teams/render-step-card.ts';
import { renderTicketCard } from '../../src/adapters/teams/render-ticket-card.ts';
import type { Ticket } from '../../src/escalation/ticket.ts';
import type { StepView, ViewField } from '../../src/runtime/step-view.ts';
import { everyView } from '../helpers/explore-guide.ts';
import { ADA, allGuides, ROOT } from '../helpers/guides.ts';

// Every card fixpath can draw for Teams, checked against the official Adaptive Card 1.5 schema and the
// 28 KB design budget: each view of each guide, each filed ticket, and views built to be too big.

const SCHEMA = join(ROOT, '..', 'shared', 'schemas', 'adaptive-card-1.5.json');
const BUDGET = TEAMS_CARD_LIMITS.cardBytes;

// CommonJS package: under NodeNext its default import is `module.exports`, the plugin is `.default`.
const addFormats = ajvFormats.default;

function cardValidator(): (card: unknown) => string[] {
  // The schema is draft-06 and names itself with `id`; Ajv 8 wants `$id`.
  const { id, ...schema } = JSON.parse(readFileSync(SCHEMA, 'utf8')) as { id: string } & Record<
    string,
    unknown
  >;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as object);
  addFormats(ajv);
  const validate = ajv.compile({ ...schema, $id: id });
  return (card) => {
    validate(card);
    // anyOf branches report in bulk: the first few say enough.
    return (validate.errors ?? []).slice(0, 4).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
}

const problems = cardValidator();
const guides = await allGuides();
const drawn = guides.flatMap((guide) =>
  everyView(guide).map((view) => ({
    where: `${guide.definition.id} ${view.step.id}`,
    view,
    card: renderStepCard(view),
  })),
);

function check(card: AdaptiveCard): string[] {
  const found = problems(card);
  if (card.version !== '1.5') found.push(`version ${card.version}`);
  if (!card.fallbackText) found.push('no fallbackText');
  const bytes = jsonBytes(card);
  if (bytes > BUDGET) found.push(`${bytes} bytes, over the ${BUDGET}-byte budget`);
  return found;
}

describe('Teams step cards for every view of every guide', () => {
  it('explores every guide', () => {
    expect(guides.length).toBeGreaterThan(0);
    expect(drawn.length).toBeGreaterThan(guides.length * 10);
  });

  it('validate against the Adaptive Card 1.5 schema, at version 1.5 with a fallbackText, within the budget', () => {
    const failures = drawn.flatMap(({ where, card }) => check(card).map((p) => `${where}: ${p}`));
    expect(failures).toEqual([]);
  });

  it('measures the bytes exactly as Teams receives them', () => {
    const { card } = drawn[0] ?? {};
    expect(jsonBytes(card)).toBe(Buffer.byteLength(JSON.stringify(card), 'utf8'));
  });

  it('draws every filed ticket as a valid card within the budget', () => {
    const tickets = drawn.flatMap(({ where, view }) => (view.ticket ? [{ where, ticket: view.ticket }] : []));
    expect(tickets.length).toBeGreaterThanOrEqual(guides.length);
    const failures = tickets.flatMap(({ where, ticket }) =>
      check(renderTicketCard(ticket)).map((p) => `${where} ticket: ${p}`),
    );
    expect(failures).toEqual([]);
  });
});

// Views at the limits, each as the engine could draw it (a question step has no form, a capture step no
// choices, only a filed escalation a ticket), and each with every other part at its longest too.
describe('views built to be too big', () => {
  const ticket = drawn.find((d) => d.view.ticket)?.view.ticket;
  if (!ticket) throw new Error('no guide files a ticket');
  const { question, form, filed } = stressViews(ticket);

  it.each([
    ['a question with 25 long choices', question],
    ['a form with 30 fields, each refused with an error', form],
    ['a filed escalation whose ticket has 100 path entries', filed],
  ])('%s still gives a valid card within the budget', (_name, view) => {
    expect(jsonBytes(view)).toBeGreaterThan(BUDGET);
    expect(check(renderStepCard(view))).toEqual([]);
  });

  it('keeps every choice, field and action when it shortens', () => {
    const json = `${JSON.stringify(renderStepCard(question))}${JSON.stringify(renderStepCard(form))}`;
    for (const choice of question.choices) expect(json).toContain(`"choice":"${choice.id}"`);
    for (const field of form.form?.fields ?? []) expect(json).toContain(`"id":"field:${field.id}"`);
    for (const faq of question.faq) expect(json).toContain(`"faq":"${faq.id}"`);
    for (const type of ['back', 'restart', 'escalate']) expect(json).toContain(`"type":"${type}"`);
  });

  it('gives a valid ticket card within the budget for a ticket with 100 path entries', () => {
    const long = filed.ticket as Ticket;
    expect(long.path).toHaveLength(100);
    expect(jsonBytes(long)).toBeGreaterThan(BUDGET);
    const card = renderTicketCard(long);
    expect(check(card)).toEqual([]);
    expect(JSON.stringify(card)).toContain('earlier steps not shown');
  });
});

describe('the schema check', () => {
  const card = renderStepCard(drawn[0]?.view as StepView);

  it('accepts a drawn card as it is', () => {
    expect(problems(card)).toEqual([]);
  });

  it('rejects an element type Adaptive Cards do not have', () => {
    expect(problems({ ...card, body: [...card.body, { type: 'Badge', text: 'new' }] })).not.toEqual([]);
  });

  it('rejects an element without its type', () => {
    expect(problems({ ...card, body: [{ text: 'no type' }] })).not.toEqual([]);
  });

  it('rejects version 1.6 features such as Action.ResetInputs and an input valueChangedAction', () => {
    expect(problems({ ...card, actions: [{ type: 'Action.ResetInputs', title: 'Reset' }] })).not.toEqual([]);
    const input = { type: 'Input.Text', id: 'x', valueChangedAction: { type: 'Action.ResetInputs' } };
    expect(problems({ ...card, body: [input] })).not.toEqual([]);
  });
});

/** Views with the parts of a step at their longest: 2,900-character text, 40 answered steps, 25 choices
 * with 75-character labels, a 300-character FAQ answer, 30 fields, a ticket with 100 path entries. */
function stressViews(ticket: Ticket): { question: StepView; form: StepView; filed: StepView } {
  const words = (n: number, word = 'lorem') => Array.from({ length: n }, (_, i) => `${word}${i}`).join(' ');
  const fieldTypes: ViewField['type'][] = ['text', 'number', 'duration', 'choice', 'yesno'];
  const fields: ViewField[] = Array.from({ length: 30 }, (_, i) => {
    const type = fieldTypes[i % fieldTypes.length] ?? 'text';
    return {
      id: `field_${i}`,
      label: `Field ${i}: ${words(25, 'label')}`.slice(0, 200),
      type,
      required: i % 2 === 0,
      sensitive: i === 7,
      help: words(40, 'help'),
      placeholder: words(20, 'placeholder').slice(0, 150),
      ...(type === 'text' ? { multiline: i % 3 === 0, maxLength: 3000 } : {}),
      ...(type === 'choice'
        ? {
            options: Array.from({ length: 8 }, (_, o) => ({
              id: `option-${o}`,
              label: `Option ${o} ${words(8)}`,
            })),
          }
        : {}),
      value: 'x'.repeat(300),
    };
  });
  const base: StepView = {
    conversationId: '3f2b8c1e-6d4a-4b9f-a1c7-5e0d9b2a7c64',
    revision: 123456,
    status: 'active',
    flow: {
      id: 'stress-guide',
      title: words(20, 'guide').slice(0, 150),
      version: '12',
      hash: '0123456789abcdef',
    },
    step: { id: 'stress-step', type: 'question' },
    title: words(30, 'step').slice(0, 150),
    blocks: [
      { kind: 'text', text: words(600, 'w').slice(0, 2900) },
      { kind: 'labelled', label: 'Goal', text: words(100, 'goal') },
      {
        kind: 'list',
        heading: 'Do this',
        ordered: true,
        items: Array.from({ length: 40 }, () => words(80, 'do')),
      },
      { kind: 'checklist', items: Array.from({ length: 30 }, () => words(40, 'check')) },
    ],
    prompt: null,
    choices: [],
    form: null,
    note: 'You can change your answer later.',
    progress: { answered: 40, total: 60 },
    layer: { id: 'layer', title: words(10, 'layer').slice(0, 75), index: 3, count: 9 },
    history: Array.from({ length: 40 }, (_, i) => ({
      step: `step-${i}`,
      title: `Step ${i}: ${words(20, 'title')}`.slice(0, 150),
      answer: words(50, 'answer'),
      ...(i % 2 === 0 ? { outcome: 'did_not_work' as const } : {}),
    })),
    actions: ['back', 'restart', 'escalate', 'faq'],
    faq: Array.from({ length: 8 }, (_, i) => ({
      id: `faq-${i}`,
      question: `Question ${i} ${'q'.repeat(75)}`.slice(0, 75),
    })),
    faqAnswer: {
      id: 'faq-0',
      question: `Question 0 ${'q'.repeat(75)}`.slice(0, 75),
      answer: 'a'.repeat(300),
    },
    feedback: null,
    ticket: null,
    notice: { kind: 'error', text: words(100, 'notice') },
  };
  const question: StepView = {
    ...base,
    choices: Array.from({ length: 25 }, (_, i) => ({
      id: `choice-${i}`,
      label: `Choice ${i} ${'y'.repeat(75)}`.slice(0, 75),
      description: words(40, 'description'),
      style: 'default',
      event: { type: 'choose', choice: `choice-${i}` },
    })),
  };
  const form: StepView = {
    ...base,
    step: { id: 'stress-step', type: 'capture' },
    note: null,
    form: {
      title: 'Before the ticket is filed',
      intro: words(60, 'intro'),
      submitLabel: 'File the ticket',
      optional: false,
      fields,
      errors: Object.fromEntries(fields.map((f) => [f.id, words(60, 'error')])),
    },
  };
  const path = Array.from({ length: 100 }, (_, i) => ({
    step: `step-${i}`,
    title: `Step ${i}: ${words(20, 'title')}`.slice(0, 150),
    answer: words(60, 'answer'),
    outcome: 'did_not_work' as const,
    at: '2026-03-02T09:00:00.000Z',
    by: ADA,
  }));
  const filed: StepView = {
    ...base,
    status: 'escalated',
    step: { id: 'stress-step', type: 'escalate', phase: 'filed' },
    actions: ['restart', 'faq'],
    note: null,
    ticket: {
      ...ticket,
      path,
      stepsTried: path.map((p) => ({ step: p.step, title: p.title, outcome: p.outcome, at: p.at, by: p.by })),
      capture: Array.from({ length: 20 }, (_, i) => ({
        label: `Item ${i}: ${words(10)}`,
        value: words(80, 'v'),
        fields: [],
      })),
    },
  };
  return { question, form, filed };
}
