import { describe, expect, it } from 'vitest';
import { renderTicketCard } from '../../../../src/adapters/teams/render-ticket-card.ts';
import type { Ticket } from '../../../../src/escalation/ticket.ts';
import { ADA } from '../../../helpers/guides.ts';

type Json = Record<string, unknown>;

const at = '2026-03-02T09:00:00.000Z';
const ticket = (overrides: Partial<Ticket> = {}): Ticket => ({
  title: 'Fix a session that expires fast: Expires after a fixed time (reported by Ada Lovelace)',
  guide: {
    id: 'session-expiry',
    title: 'Fix a session that expires fast',
    version: '3',
    hash: 'abc',
    owner: 'Web platform',
    reviewedBy: 'Grace',
  },
  conversationId: 'c-42',
  escalationNumber: 2,
  reporter: ADA,
  createdAt: at,
  team: 'Web platform team',
  severity: 'high',
  reason: 'help_now',
  headline: 'Escalate to the web platform team',
  message: 'They will get what you captured.',
  captureIntro: 'Have these ready.',
  capture: [
    { label: 'Session timeout', value: '30m', fields: [] },
    { label: 'What you changed', value: 'Set [maxAge](https://evil.example) to *8h*', fields: [] },
  ],
  stepsTried: [
    { step: 'raise-timeout', title: 'Raise the server timeout', outcome: 'did_not_work', at, by: ADA },
    { step: 'clear-cache', title: 'Clear the session cache', outcome: 'skipped', at, by: ADA },
  ],
  path: [
    { step: 'when', title: 'When does it expire?', answer: 'After a fixed time', at, by: ADA },
    {
      step: 'raise-timeout',
      title: 'Raise the server timeout',
      answer: 'Still expires',
      outcome: 'did_not_work',
      at,
      by: ADA,
    },
  ],
  ladder: {
    intro: 'From the app out.',
    reached: { id: 'app', title: 'App config', index: 2, count: 3 },
    layers: [
      { id: 'browser', title: 'Browser', description: '', visited: true },
      { id: 'app', title: 'App config', description: '', visited: true },
      { id: 'lb', title: 'Load balancer', description: '', visited: false },
    ],
  },
  markdown: '',
  ...overrides,
});

function nodes(node: unknown): Json[] {
  if (Array.isArray(node)) return node.flatMap(nodes);
  if (typeof node !== 'object' || node === null) return [];
  return [node as Json, ...Object.values(node).flatMap(nodes)];
}

const texts = (card: unknown) =>
  nodes(card)
    .filter((n) => n.type === 'TextBlock')
    .map((n) => String(n.text));
const facts = (card: unknown) =>
  Object.fromEntries(
    nodes(card)
      .filter((n) => n.type === 'FactSet')
      .flatMap((n) => n.facts as Array<{ title: string; value: string }>)
      .map((f) => [f.title, f.value]),
  );

describe('the ticket card', () => {
  it('leads with the title, the guide and the escalate step’s headline and message', () => {
    const card = renderTicketCard(ticket());
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(card.actions).toBeUndefined();
    expect(card.body[0]).toMatchObject({ text: ticket().title, weight: 'bolder', size: 'large' });
    expect(texts(card)).toContain(
      'Guide: Fix a session that expires fast (session-expiry v3, owner Web platform, reviewed by Grace)',
    );
    expect(texts(card)).toContain('**Escalate to the web platform team.** They will get what you captured.');
    expect(card.fallbackText).toBe(`Ticket for Web platform team (high): ${ticket().title}`);
  });

  it('states who it is for, how urgent, who reported it and how it got here', () => {
    expect(facts(renderTicketCard(ticket()))).toMatchObject({
      For: 'Web platform team',
      Severity: 'High',
      'Reported by': 'Ada Lovelace (U024BE7LH)',
      'How it got here': 'The user asked for help ("I need help now")',
      'Ladder reached': 'App config (layer 2 of 3)',
      Conversation: 'c-42 · escalation #2',
    });
  });

  it('lists what was captured with typed values escaped, the steps tried, the path and the ladder', () => {
    const card = renderTicketCard(ticket());
    expect(facts(card)).toMatchObject({
      'Session timeout': '30m',
      'What you changed': 'Set \\[maxAge\\](https://evil.example) to \\*8h\\*',
    });
    const all = texts(card);
    expect(all).toContain('Have these ready.');
    expect(all).toContain('✗ Raise the server timeout · ⤼ Clear the session cache');
    expect(all).toContain(
      '- When does it expire?: After a fixed time\r- ✗ Raise the server timeout: Still expires',
    );
    expect(all).toContain('- ✓ Browser\r- ✓ App config\r- ○ Load balancer');
  });

  it('keeps the newest steps of a long path and says how many it left out', () => {
    const path = Array.from({ length: 100 }, (_, i) => ({
      step: `s${i}`,
      title: `Step ${i} ${'t'.repeat(120)}`,
      answer: `answer ${i} ${'a'.repeat(300)}`,
      at,
      by: ADA,
    }));
    const all = texts(renderTicketCard(ticket({ path })));
    const note = all.find((t) => t.endsWith('earlier steps not shown'));
    const shown = Number(note?.split(' ')[0]);
    expect(shown).toBeGreaterThan(0);
    const list = all.find((t) => t.startsWith('- Step'));
    expect(list).toContain('Step 99 ');
    expect(list).not.toContain('Step 0 ');
    expect(list?.split('\r')).toHaveLength(100 - shown);
  });

  it('says so when no fix was tried', () => {
    expect(texts(renderTicketCard(ticket({ stepsTried: [] })))).toContain('None');
  });
});
