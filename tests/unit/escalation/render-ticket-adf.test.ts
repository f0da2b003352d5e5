import { describe, expect, it } from 'vitest';
import { renderTicketAdf } from '../../../src/escalation/render-ticket-adf.ts';
import type { Ticket } from '../../../src/escalation/ticket.ts';
import { adfProblems, plainText } from '../../helpers/adf-problems.ts';
import { sampleTicket } from '../../helpers/sample-ticket.ts';

/** Jira refuses descriptions over this many characters. */
const JIRA_LIMIT = 32_767;

describe('the ticket in Atlassian Document Format', () => {
  it('draws every section of a real ticket as ADF that Jira accepts', async () => {
    const ticket = await sampleTicket({
      problem: 'Build *fails* with `exit 1` on main_branch <br>',
      started: 'since 09:00',
      tried: 'Cleared caches',
    });
    const doc = renderTicketAdf(ticket, { footer: 'Filed by fixpath · escalation fixpath-abc-1' });
    expect(adfProblems(doc)).toEqual([]);
    const text = plainText(doc);
    for (const heading of ['What to capture', 'Steps already tried', 'Path taken', 'Escalation ladder']) {
      expect(text).toContain(heading);
    }
    // ADF text is never parsed, so user text appears exactly as typed, with no Markdown escapes.
    expect(text).toContain('Build *fails* with `exit 1` on main_branch <br>');
    expect(text).toContain(ticket.headline);
    expect(text).toContain('fixpath-abc-1');
    const table = doc.content.find((n) => n.type === 'table');
    expect(table?.content).toHaveLength(ticket.capture.length + 1);
    expect(doc.content.find((n) => n.type === 'panel')).toMatchObject({ attrs: { panelType: 'warning' } });
  });

  it('keeps a huge ticket under Jira’s description limit, keeping the newest path entries', async () => {
    const real = await sampleTicket();
    const long = 'x'.repeat(1_900);
    const ticket: Ticket = {
      ...real,
      capture: Array.from({ length: 20 }, (_, i) => ({
        label: `Item ${i}`,
        value: long,
        fields: [{ id: `f${i}`, label: `Field ${i}`, value: long }],
      })),
      path: Array.from({ length: 400 }, (_, i) => ({
        step: `s${i}`,
        title: `Step number ${i}`,
        answer: long,
        at: real.createdAt,
        by: real.reporter,
      })),
    };
    expect(JSON.stringify(renderTicketAdf({ ...real })).length).toBeLessThan(JIRA_LIMIT);
    const doc = renderTicketAdf(ticket);
    expect(JSON.stringify(doc).length).toBeLessThanOrEqual(JIRA_LIMIT);
    expect(adfProblems(doc)).toEqual([]);
    const text = plainText(doc);
    expect(text).toContain(ticket.headline);
    expect(text).toContain('Step number 399');
    expect(text).toContain('Item 19');
    expect(text).not.toContain('Step number 0 ');
  });

  it('finds broken documents (the checker is not vacuous)', () => {
    expect(
      adfProblems({
        version: 1,
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: '' }] }],
      }),
    ).toEqual(['content.0.0: empty text']);
    expect(
      adfProblems({
        version: 1,
        type: 'doc',
        content: [
          { type: 'table', content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [] }] }] },
        ],
      }),
    ).toEqual(['content.0.0.0: empty cell']);
  });
});
