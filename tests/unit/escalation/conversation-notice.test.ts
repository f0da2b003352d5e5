import { describe, expect, it } from 'vitest';
import { escalationNoticeText, filedNoticeText } from '../../../src/escalation/filed-notice.ts';
import { findDuplicate } from '../../../src/escalation/find-duplicate.ts';
import { NOTICE_SINK, type TicketOutboxEntry } from '../../../src/escalation/outbox.ts';
import { planOutboxEntries } from '../../../src/escalation/plan-outbox-entries.ts';
import { sampleTicket } from '../../helpers/sample-ticket.ts';

const T0 = Date.parse('2026-03-02T09:00:00Z');
const ticket = await sampleTicket();
const LOCAL = new Set(['file']);
const jira = { externalId: 'PROJ-123', label: 'PROJ-123', url: 'https://acme.example/browse/PROJ-123' };
const file = {
  externalId: 'c-1.md',
  label: 'c-1.md',
  url: 'file:///srv/fixpath/data/tickets/c-1.md',
  details: { file: 'c-1.md' },
};

describe('telling a conversation where its ticket went', () => {
  it('plans the notice as the last entry of an escalation, and only when the conversation is to be told', () => {
    const told = planOutboxEntries({
      conversationKey: 'slack:T1:C1:1.2',
      ticket,
      sinks: ['jira', 'file'],
      notice: true,
      now: T0,
    });
    expect(told.map((e) => e.sink)).toEqual(['jira', 'file', NOTICE_SINK]);
    expect(told.at(-1)).toMatchObject({
      conversationKey: 'slack:T1:C1:1.2',
      createdAt: T0,
      nextAttemptAt: T0,
    });
    const silent = planOutboxEntries({ conversationKey: 'web:1', ticket, sinks: ['file'], now: T0 });
    expect(silent.map((e) => e.sink)).toEqual(['file']);
  });

  it('names the tracker and its link, and leaves out a local file when a tracker has the ticket', () => {
    const text = escalationNoticeText(
      [
        { sink: 'jira', status: 'delivered', result: jira },
        { sink: 'file', status: 'delivered', result: file },
      ],
      LOCAL,
    );
    expect(text).toBe('Filed as PROJ-123: https://acme.example/browse/PROJ-123');
  });

  it('names a local ticket file without a link nobody in chat could open', () => {
    const text = escalationNoticeText([{ sink: 'file', status: 'delivered', result: file }], LOCAL);
    expect(text).toBe('Ticket filed for the support team (saved as c-1.md)');
    expect(text).not.toContain('file:');
  });

  it('says a repeat was added to the open ticket, one line per destination', () => {
    const text = escalationNoticeText(
      [
        { sink: 'jira', status: 'delivered', result: { externalId: '10001', linkedTo: jira } },
        {
          sink: 'slack-channel',
          status: 'delivered',
          result: { label: 'a message in the support channel', url: 'https://acme.slack.example/p1' },
        },
      ],
      LOCAL,
    );
    expect(text.split('\n')).toEqual([
      'Added to PROJ-123, already open for this problem: https://acme.example/browse/PROJ-123',
      'Filed as a message in the support channel: https://acme.slack.example/p1',
    ]);
  });

  it('says plainly when no ticket could be filed, and that nothing is lost', () => {
    const text = escalationNoticeText([{ sink: 'jira', status: 'dead', result: undefined }], LOCAL);
    expect(text).toMatch(/could not be filed yet/);
    expect(text).toMatch(/nothing you entered is lost/);
  });

  it('falls back to a plain sentence when a sink gave no name', () => {
    expect(filedNoticeText({ url: 'https://hooks.example/t/9' })).toBe(
      'Ticket filed: https://hooks.example/t/9',
    );
    expect(filedNoticeText({})).toBe('Ticket filed');
  });

  it('never takes a notice for a ticket when looking for a duplicate', () => {
    const earlier = { ...ticket, conversationId: 'earlier' };
    const entries = planOutboxEntries({
      conversationKey: 'slack:T1:C1:0.1',
      ticket: earlier,
      sinks: ['jira'],
      notice: true,
      now: T0,
    }).map((e): TicketOutboxEntry => ({ ...e, status: 'delivered', attempts: 1 }));
    const match = findDuplicate({ ...ticket, conversationId: 'later' }, entries, {
      since: T0 - 1,
      keyFields: [],
    });
    expect(match?.entries).toEqual({ jira: 'earlier:1:jira' });
    // An escalation whose tickets were all dead-lettered is not open, whatever its notice did.
    const deadTickets = entries.map((e) => (e.sink === NOTICE_SINK ? e : { ...e, status: 'dead' as const }));
    expect(
      findDuplicate({ ...ticket, conversationId: 'later' }, deadTickets, { since: T0 - 1, keyFields: [] }),
    ).toBeUndefined();
  });
});
