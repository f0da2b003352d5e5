import { describe, expect, it } from 'vitest';
import { findDuplicate } from '../../../src/escalation/find-duplicate.ts';
import type { TicketOutboxEntry } from '../../../src/escalation/outbox.ts';
import { planOutboxEntries } from '../../../src/escalation/plan-outbox-entries.ts';
import type { Ticket } from '../../../src/escalation/ticket.ts';
import { sampleTicket } from '../../helpers/sample-ticket.ts';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const HOUR = 60 * 60 * 1000;

const base = await sampleTicket();

function ticket(conversationId: string, reporter: string, problem: string, guide = 'other-problem'): Ticket {
  return {
    ...base,
    conversationId,
    escalationNumber: 1,
    reporter: { id: reporter, name: reporter },
    guide: { ...base.guide, id: guide },
    capture: base.capture.map((item) => ({
      ...item,
      fields: item.fields.map((f) => (f.id === 'problem' ? { ...f, value: problem } : f)),
    })),
  };
}

function filed(
  t: Ticket,
  at: number,
  sinks = ['github', 'jira'],
  status: TicketOutboxEntry['status'] = 'delivered',
) {
  return planOutboxEntries({ conversationKey: `key-${t.conversationId}`, ticket: t, sinks, now: at }).map(
    (entry): TicketOutboxEntry => ({ ...entry, status, attempts: 1 }),
  );
}

const rules = { since: T0 - 24 * HOUR, keyFields: ['problem'] };

describe('finding the open escalation a new one repeats', () => {
  it('matches the same reporter on the same guide, pointing each sink at the earlier entry', () => {
    const earlier = filed(ticket('c1', 'U1', 'VPN drops'), T0 - HOUR);
    const match = findDuplicate(ticket('c2', 'U1', 'Something else entirely'), earlier, rules);
    expect(match).toEqual({
      conversationId: 'c1',
      escalationNumber: 1,
      createdAt: T0 - HOUR,
      reason: 'same_reporter',
      fields: expect.any(Array),
      entries: { github: 'c1:1:github', jira: 'c1:1:jira' },
    });
  });

  it('matches another reporter only when every key field has the same value, ignoring case and spacing', () => {
    const earlier = filed(ticket('c1', 'U1', 'VPN drops every 5 minutes'), T0 - HOUR);
    const same = findDuplicate(ticket('c2', 'U2', ' vpn  DROPS every 5 minutes'), earlier, rules);
    expect(same).toMatchObject({
      reason: 'same_key_fields',
      fields: [{ id: 'problem', value: ' vpn  DROPS every 5 minutes' }],
    });
    expect(findDuplicate(ticket('c2', 'U2', 'VPN drops hourly'), earlier, rules)).toBeUndefined();
    expect(
      findDuplicate(ticket('c2', 'U2', 'VPN drops every 5 minutes'), earlier, { ...rules, keyFields: [] }),
    ).toBeUndefined();
  });

  it('never matches on values that say nothing: not given, masked or redacted', () => {
    for (const value of ['(not given)', '•••••• (sensitive, not shown)', 'token=[redacted: token]', '  ']) {
      const earlier = filed(ticket('c1', 'U1', value), T0 - HOUR);
      expect(findDuplicate(ticket('c2', 'U2', value), earlier, rules)).toBeUndefined();
    }
  });

  it('ignores itself, other guides, dead-lettered escalations and those before the window', () => {
    const mine = ticket('c1', 'U1', 'VPN drops');
    expect(findDuplicate(mine, filed(mine, T0), rules)).toBeUndefined();
    expect(findDuplicate(mine, filed(ticket('c0', 'U1', 'VPN drops', 'vpn'), T0), rules)).toBeUndefined();
    expect(
      findDuplicate(mine, filed(ticket('c0', 'U1', 'VPN drops'), T0, ['github'], 'dead'), rules),
    ).toBeUndefined();
    expect(
      findDuplicate(mine, filed(ticket('c0', 'U1', 'VPN drops'), T0 - 25 * HOUR), rules),
    ).toBeUndefined();
  });

  it('counts an escalation as open while any of its sinks is not dead, and links only those', () => {
    const earlier = [
      ...filed(ticket('c1', 'U1', 'VPN drops'), T0 - HOUR, ['github']),
      ...filed(ticket('c1', 'U1', 'VPN drops'), T0 - HOUR, ['jira'], 'dead'),
    ];
    expect(findDuplicate(ticket('c2', 'U1', 'x'), earlier, rules)?.entries).toEqual({
      github: 'c1:1:github',
    });
  });

  it('prefers the most recent match, and follows a repeat to the ticket it was added to', () => {
    const first = filed(ticket('c1', 'U1', 'VPN drops'), T0 - 5 * HOUR);
    const repeat = filed(ticket('c2', 'U1', 'VPN drops'), T0 - HOUR).map((e) => ({
      ...e,
      linkTo: `c1:1:${e.sink}`,
    }));
    const other = filed(ticket('c3', 'U1', 'VPN drops'), T0 - 3 * HOUR);
    const match = findDuplicate(ticket('c4', 'U1', 'VPN drops'), [...first, ...repeat, ...other], rules);
    expect(match).toMatchObject({
      conversationId: 'c2',
      entries: { github: 'c1:1:github', jira: 'c1:1:jira' },
    });
  });
});
