import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { validateSlackMessage } from '../../../../src/adapters/slack/block-kit-schema.ts';
import { renderTicketMessage } from '../../../../src/adapters/slack/render-ticket-message.ts';
import type { Ticket } from '../../../../src/escalation/ticket.ts';
import { ADA } from '../../../helpers/guides.ts';

const at = '2026-03-02T09:05:00.000Z';

function ticket(overrides: Partial<Ticket> = {}): Ticket {
  return {
    title: 'Fix a session that expires fast: After a fixed time (reported by Ada Lovelace)',
    guide: {
      id: 'session-expiry',
      title: 'Fix a session that expires fast',
      version: '3',
      hash: 'abc123',
      owner: 'Identity team',
    },
    conversationId: '0b6f1f5e-4a51-4d6a-9a8e-2f9a3f3c9d11',
    escalationNumber: 1,
    reporter: ADA,
    createdAt: at,
    team: 'Identity platform',
    severity: 'high',
    reason: 'guide',
    headline: 'Escalate to the identity team',
    message: 'They will need the **timeout** values and the `Set-Cookie` header.',
    captureIntro: 'Have these ready.',
    capture: [
      {
        label: 'Session timeout and store TTL',
        value: '30m · 1h',
        fields: [
          { id: 'session_timeout', label: 'Session timeout', value: '30m' },
          { id: 'store_ttl', label: 'Store TTL', value: '1h' },
        ],
      },
      {
        label: 'The Set-Cookie header',
        value: 'sid=1; <@U999> & <!here>',
        fields: [{ id: 'set_cookie', label: 'Set-Cookie', value: 'sid=1; <@U999> & <!here>' }],
      },
      {
        label: 'Load balancer',
        value: 'AWS ALB',
        fields: [{ id: 'lb', label: 'Load balancer', value: 'AWS ALB' }],
      },
      { label: 'Steps already tried', value: '2 tried', fields: [] },
    ],
    stepsTried: [
      { step: 'fix-server-timeout', title: 'Raise the server timeout', outcome: 'did_not_work', at, by: ADA },
      {
        step: 'fix-clock',
        title: 'Sync the clock',
        outcome: 'skipped',
        at,
        by: { id: 'U0G9QF9C6', name: 'Grace <!channel>' },
      },
      { step: 'fix-cookie', title: 'Set the cookie max age', outcome: 'worked', at, by: ADA },
    ],
    path: [
      { step: 'triage', title: 'When does the session end?', answer: 'After a fixed time', at, by: ADA },
      {
        step: 'capture',
        title: 'What are the values?',
        answer: 'Session timeout: 30m; note: <https://evil.example|click>',
        at,
        by: ADA,
      },
    ],
    ladder: {
      reached: { id: 'server', title: 'Server configuration', index: 2, count: 3 },
      layers: [
        { id: 'browser', title: 'Browser cookie', description: 'd', visited: true },
        { id: 'server', title: 'Server configuration', description: 'd', visited: true },
        { id: 'store', title: 'Session store', description: 'd', visited: false },
      ],
    },
    markdown: '',
    ...overrides,
  };
}

const json = (message: { blocks: types.KnownBlock[] }) => JSON.stringify(message.blocks);

describe('renderTicketMessage', () => {
  const message = renderTicketMessage(ticket(), {
    threadLink: 'https://acme.slack.com/archives/C1/p1712345678123456',
  });

  it('is a valid message with a notification text naming the team', () => {
    expect(validateSlackMessage(message)).toEqual([]);
    expect(message.text).toBe(
      'Ticket for Identity platform: Fix a session that expires fast: After a fixed time (reported by Ada Lovelace)',
    );
  });

  it('heads with the title, then severity, team, reporter and time', () => {
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { text: `:ticket: ${ticket().title}` } });
    const who = (message.blocks[1] as types.ContextBlock).elements[0] as types.MrkdwnElement;
    expect(who.text).toBe(
      ':large_orange_circle: High severity  ·  for *Identity platform*  ·  reported by <@U024BE7LH>  ·  <!date^1772442300^{date_short_pretty} {time}|2026-03-02 09:05 UTC>',
    );
  });

  it('shows the escalate step’s message with the guide’s formatting, and how it got here', () => {
    expect(message.blocks[2]).toMatchObject({
      text: {
        text: '*Escalate to the identity team*\nThey will need the *timeout* values and the `Set-Cookie` header.\n_The guide ran out of fixes._',
      },
    });
    const helpNow = renderTicketMessage(ticket({ reason: 'help_now' }));
    expect(json(helpNow)).toContain('The user asked for help');
  });

  it('lays out every capture item as a section field, with user values escaped', () => {
    const fields = message.blocks.flatMap((b) => (b.type === 'section' && b.fields ? b.fields : []));
    expect(fields.map((f) => f.text)).toEqual([
      '*Session timeout and store TTL*\nSession timeout: 30m\nStore TTL: 1h',
      '*The Set-Cookie header*\nsid=1; &lt;@U999&gt; &amp; &lt;!here&gt;',
      '*Load balancer*\nAWS ALB',
    ]);
    expect(fields.every((f) => f.type === 'mrkdwn' && f.verbatim)).toBe(true);
  });

  it('lists the steps tried with their outcomes and who tried them', () => {
    const steps = message.blocks.find(
      (b) => b.type === 'section' && b.text?.text.startsWith('*Steps already tried*'),
    );
    const text = (steps as types.SectionBlock).text?.text ?? '';
    expect(
      text
        .split('\n')
        .slice(1)
        .map((line) => line.replace(/ \(.*$/, '')),
    ).toEqual([
      '1. Raise the server timeout: ✗ did not work',
      '2. Sync the clock: ⤼ skipped',
      '3. Set the cookie max age: ✓ worked',
    ]);
    expect(text).toContain('(Grace &lt;!channel&gt;, <!date^');
  });

  it('says so when no fix was tried', () => {
    expect(json(renderTicketMessage(ticket({ stepsTried: [] })))).toContain(
      "None of the guide's fixes were tried.",
    );
  });

  it('collapses the path into one line with the answers escaped', () => {
    const path = message.blocks.find(
      (b) => b.type === 'context' && json({ blocks: [b] }).includes('*Path taken*'),
    );
    expect(((path as types.ContextBlock).elements[0] as types.MrkdwnElement).text).toBe(
      '*Path taken* (2 answers): 1. When does the session end? → After a fixed time  ·  2. What are the values? → Session timeout: 30m; note: &lt;https://evil.example|click&gt;',
    );
  });

  it('keeps the newest of 100 path entries, saying how many earlier ones it left out', () => {
    const path = Array.from({ length: 100 }, (_, i) => ({
      step: `s${i}`,
      title: `Question ${i}`,
      answer: `Answer number ${i} `.repeat(4),
      at,
      by: ADA,
    }));
    const long = renderTicketMessage(ticket({ path }));
    expect(validateSlackMessage(long)).toEqual([]);
    const text = json(long);
    expect(text).toMatch(/\*Path taken\* \(100 answers\): … \d+ earlier/);
    expect(text).toContain('100. Question 99 →');
    expect(text).not.toContain('1. Question 0 →');
  });

  it('names the ladder layer reached and ticks the layers visited', () => {
    expect(json(message)).toContain(
      '*Escalation ladder reached:* Server configuration (layer 2 of 3)\\n☑ Browser cookie  ☑ Server configuration  ☐ Session store',
    );
  });

  it('links back to the conversation, and leaves out a link that is not a plain https URL', () => {
    expect(json(message)).toContain(
      '<https://acme.slack.com/archives/C1/p1712345678123456|Open the conversation>',
    );
    const bad = renderTicketMessage(ticket(), { threadLink: 'https://evil.example|click here>' });
    expect(json(bad)).not.toContain('Open the conversation');
  });

  it('names a reporter who is not a Slack user, escaped, instead of mentioning them', () => {
    const teams = renderTicketMessage(ticket({ reporter: { id: '29:1abc', name: '<!channel> Bob' } }));
    expect(json(teams)).toContain('reported by &lt;!channel&gt; Bob');
  });
});
