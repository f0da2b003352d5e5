import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { readCardAction } from '../../../../src/adapters/teams/read-card-action.ts';
import { renderGuideOffersCard } from '../../../../src/adapters/teams/render-guide-offers-card.ts';
import type { GuideMatch } from '../../../../src/runtime/match-guides.ts';
import { ROOT } from '../../../helpers/guides.ts';
import { token } from '../../../helpers/secret-corpus.ts';
import { buttonsOf, textsOf } from '../../../helpers/teams-activities.ts';

const SCHEMA = join(ROOT, '..', 'shared', 'schemas', 'adaptive-card-1.5.json');

function cardValidator(): (card: unknown) => string[] {
  // The schema is draft-06 and names itself with `id`; Ajv 8 wants `$id`.
  const { id, ...schema } = JSON.parse(readFileSync(SCHEMA, 'utf8')) as { id: string } & Record<
    string,
    unknown
  >;
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as object);
  ajvFormats.default(ajv);
  const validate = ajv.compile({ ...schema, $id: id });
  return (card) => {
    validate(card);
    return (validate.errors ?? []).slice(0, 4).map((e) => `${e.instancePath || '/'} ${e.message}`);
  };
}

const problems = cardValidator();
const match = (i: number): GuideMatch => ({
  flowId: `guide-${i}`,
  title: `Guide ${i}`,
  summary: `What guide ${i} fixes, in a sentence or two.`,
  score: 10 - i,
});

describe('the guide offers card', () => {
  it.each([0, 1, 3, 8])('is a valid Adaptive Card 1.5 with %i matches', (count) => {
    const card = renderGuideOffersCard(
      Array.from({ length: count }, (_, i) => match(i)),
      { asked: 'my session expires', fallbackFlowId: 'other-problem' },
    );
    expect(problems(card)).toEqual([]);
    expect(card.version).toBe('1.5');
    expect(card.fallbackText).not.toBe('');
  });

  it('has a Start button per guide and the way out last, each sending the start event', () => {
    const card = renderGuideOffersCard([match(1), match(2)], { asked: 'x', fallbackFlowId: 'other-problem' });
    const buttons = buttonsOf(card);
    expect(buttons.map((b) => b.title)).toEqual(['Start', 'Start', 'None of these: file a ticket']);
    expect(buttons.map((b) => readCardAction(b.data))).toEqual(
      ['guide-1', 'guide-2', 'other-problem'].map((flowId) => ({
        kind: 'event',
        conversationId: '',
        revision: 0,
        event: { type: 'start', flowId },
      })),
    );
    expect(buttons.every((b) => b.fallback?.type === 'Action.Submit')).toBe(true);
  });

  it('quotes what was asked with Markdown and mentions made inert', () => {
    const card = renderGuideOffersCard([match(1)], {
      asked: 'why **does** <at>Ada</at> [log](http://x) out',
      fallbackFlowId: undefined,
    });
    expect(textsOf(card)).toContain('"why \\*\\*does\\*\\* \\<at\\>Ada\\</at\\> \\[log\\](http://x) out"');
    expect(card.actions).toBeUndefined();
  });

  it('says when nothing matches and offers only the ticket', () => {
    const card = renderGuideOffersCard([], { asked: 'printer on fire', fallbackFlowId: 'other-problem' });
    expect(textsOf(card)[0]).toBe('No guide matches that yet.');
    expect(buttonsOf(card).map((b) => b.title)).toEqual(['File a ticket']);
  });

  it('never quotes back a secret pasted in the question', () => {
    const asked = `login loops, my ${token.github} and ${token.slackBot} did not help`;
    const card = renderGuideOffersCard([match(1)], { asked, fallbackFlowId: 'other-problem' });
    const all = JSON.stringify(card);
    expect(all).not.toContain(token.github);
    expect(all).not.toContain(token.slackBot);
    // The marker's brackets are escaped like any user text, so Teams shows them as typed.
    expect(textsOf(card).join('\n')).toContain('\\[redacted: github token\\]');
  });
});
