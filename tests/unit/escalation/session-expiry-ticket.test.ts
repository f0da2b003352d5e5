import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowRegistry } from '../../../src/runtime/flow-registry.ts';
import { replay } from '../../../src/runtime/replay.ts';
import { ADA, checkedFlow, FLOWS_DIR } from '../../helpers/guides.ts';

const registry = new FlowRegistry([checkedFlow(join(FLOWS_DIR, 'session-expiry.yaml'))]);
// Built at run time so this file holds no string a secret scanner would flag.
const slackToken = ['xoxb', '1234567890', '9876543210', 'ZyXwVuTsRqPoNmLkJiHgFeDc'].join('-');
const bearer = `Authorization: Bearer ${['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiJhZGEifQ', 'c2lnbmF0dXJlLXZhbHVl'].join('.')}`;

/** A full walk: fixed-time expiry, server timeout raised, store TTL fixed, cookie fixed, then help. */
const fullEscalation = () =>
  replay(
    registry,
    'session-expiry',
    [
      { choose: 'Follow this guide' },
      { choose: 'continue' },
      { choose: 'good' },
      { choose: 'fixed' },
      { choose: 'yes' },
      { submit: { session_timeout: '3600000ms' } },
      { choose: 'bad' },
      { choose: 'yes' },
      { submit: { store_type: 'Redis', store_ttl: '1800' } },
      { choose: 'bad' },
      { submit: { cookie_max_age: `Session (pasted: ${slackToken} ${bearer})` } },
      { choose: 'bad' },
      { escalate: true },
      { submit: { lb_type: 'NGINX', sticky_sessions: 'no' } },
    ],
    { actor: ADA },
  );

describe('the ticket of a full session-expiry escalation', () => {
  it("lists the five capture items in the guide's order with the values given", async () => {
    const { ticket, status } = await fullEscalation();
    expect(status).toBe('escalated');
    expect(ticket?.fields).toEqual({
      session_timeout: '1h',
      store_type: 'Redis',
      store_ttl: '30m',
      lb_type: 'NGINX',
      sticky_sessions: 'no',
      cookie_max_age: expect.stringContaining('Session (pasted: [redacted: slack token]'),
    });
    const rows = ticket?.markdown
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| Item') && !line.startsWith('| ---'));
    expect(rows?.map((row) => row.split(' | ')[0]?.slice(2))).toEqual([
      'Session timeout value in app config',
      'Session store type and TTL',
      'Load balancer type and sticky sessions',
      'Cookie maxAge from DevTools',
      'Steps already tried',
    ]);
    expect(rows?.[0]).toContain('| 1h |');
    expect(rows?.[4]).toContain('5 (listed below)');
  });

  it('fills in the steps already tried by itself, with each outcome and who answered', async () => {
    const { ticket } = await fullEscalation();
    expect(ticket?.stepsTried).toEqual([
      { step: 'confirm-pattern', outcome: 'worked' },
      { step: 'fix-server-timeout', outcome: 'did_not_work' },
      { step: 'fix-session-store', outcome: 'did_not_work' },
      { step: 'fix-cookie-max-age', outcome: 'did_not_work' },
      { step: 'fix-load-balancer', outcome: 'skipped' },
    ]);
    expect(ticket?.markdown).toMatch(
      /Increase session timeout and cookie maxAge: ✗ did not work \(Ada Lovelace, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/,
    );
  });

  it('names the guide, its version, the reporter, the symptom and the ladder layer reached', async () => {
    const { ticket } = await fullEscalation();
    expect(ticket?.title).toBe(
      'Fix a session that expires fast: After a fixed time (e.g. 5 min) (reported by Ada Lovelace)',
    );
    expect(ticket?.markdown).toContain('`session-expiry` v1.0.0');
    expect(ticket?.markdown).toMatch(/\*\*Conversation:\*\* `[0-9a-f-]{36}`/);
    expect(ticket?.markdown).toContain('**Escalation ladder reached:** Load balancer (layer 5 of 6)');
    expect(ticket?.markdown).toContain(
      '**Does the session expire after a fixed time or on refresh?** → After a fixed time',
    );
  });

  it('carries no secret that was typed into a free-text field', async () => {
    const { ticket, views } = await fullEscalation();
    for (const secret of [slackToken, 'eyJhbGciOiJIUzI1NiJ9', 'c2lnbmF0dXJlLXZhbHVl']) {
      expect(ticket?.markdown).not.toContain(secret);
      expect(JSON.stringify(views)).not.toContain(secret);
    }
    expect(ticket?.markdown).toContain('\\[redacted: slack token\\]');
  });
});
