import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ReplayResult } from '../../src/runtime/replay.ts';

// Runs the real `fixpath replay` binary from the repository root, with the events in a file or on stdin,
// and reads the JSON document it prints.

const ROOT = join(import.meta.dirname, '..', '..');
const GUIDE = 'session-expiry';

let scratch = '';
beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'fixpath-replay-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

function fixpath(args: string[], input = '') {
  const run = spawnSync(process.execPath, ['bin/fixpath.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    input,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `--events -`: the events as JSON text on stdin (a string is sent as it is, for malformed input). */
function replayFromStdin(events: unknown, guide = GUIDE) {
  return fixpath(
    ['replay', guide, '--events', '-'],
    typeof events === 'string' ? events : JSON.stringify(events),
  );
}

/** `--events <file>`: the events written to a JSON file that is removed again afterwards. */
function replayFromFile(events: unknown, guide = GUIDE) {
  const file = join(scratch, 'events.json');
  writeFileSync(file, JSON.stringify(events));
  try {
    return fixpath(['replay', guide, '--events', file]);
  } finally {
    rmSync(file);
  }
}

function documentOf(run: ReturnType<typeof fixpath>): ReplayResult {
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as ReplayResult;
}

const stepsOf = (doc: ReplayResult) => doc.views.map((view) => view.step.id);

function last<T>(items: readonly T[]): T {
  const item = items.at(-1);
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

function expectNoStackTrace(output: string): void {
  expect(output).not.toMatch(/\n\s+at /);
  expect(output).not.toContain('Error:');
}

function guideYaml(name: string): { id: string; version: unknown } {
  return parse(readFileSync(join(ROOT, 'flows', name), 'utf8')) as { id: string; version: unknown };
}

describe('fixpath replay', { timeout: 60_000 }, () => {
  it('prints guide, version, status, node, one view per step shown and a null ticket, for events in a file', () => {
    const doc = documentOf(replayFromFile([{ choose: 'Follow this guide' }, { choose: 'Get started' }]));

    expect(Object.keys(doc)).toEqual(['guide', 'version', 'status', 'node', 'views', 'ticket']);
    expect(doc.guide).toBe(GUIDE);
    expect(doc.version).toBe(String(guideYaml(`${GUIDE}.yaml`).version));
    expect(doc.status).toBe('active');
    expect(doc.node).toBe('confirm-pattern');
    expect(stepsOf(doc)).toEqual(['triage', 'full-guide', 'confirm-pattern']);
    expect(doc.ticket).toBeNull();
  });

  it('reads the events from stdin and files the ticket, with the form submitted by field labels', () => {
    const events = [
      { choose: 'confirm' },
      { choose: 'good' },
      { choose: 'fixed-time' },
      { choose: 'yes' },
      { escalate: true },
      {
        submit: {
          'Session timeout value in app config': '90m',
          'session store type': 'Redis',
          'Session store TTL': 1800,
          'Load balancer type': 'nginx',
          'Sticky sessions (session affinity) enabled': false,
          'Cookie maxAge from DevTools': 'Session',
        },
      },
    ];
    const doc = documentOf(replayFromStdin(events));

    expect(Object.keys(doc)).toEqual(['guide', 'version', 'status', 'node', 'views', 'ticket']);
    expect(doc.status).toBe('escalated');
    expect(doc.node).toBe('contact-support');
    expect(doc.views).toHaveLength(events.length + 1);
    expect(stepsOf(doc)).toEqual([
      'triage',
      'confirm-pattern',
      'expiry-pattern',
      'server-timeout-check',
      'fix-server-timeout',
      'contact-support',
      'contact-support',
    ]);
    expect(doc.views.map((view) => view.status)).toEqual([...Array(6).fill('active'), 'escalated']);
    const ticket = doc.ticket;
    if (ticket === null) throw new Error('expected a ticket');
    expect(Object.keys(ticket)).toEqual(['title', 'markdown', 'fields', 'stepsTried']);
    expect(ticket.title).toBe(
      'Fix a session that expires fast: After a fixed time (e.g. 5 min) (reported by Replay)',
    );
    expect(ticket.fields).toStrictEqual({
      session_timeout: '1h 30m',
      store_type: 'Redis',
      store_ttl: '30m',
      lb_type: 'NGINX',
      sticky_sessions: 'no',
      cookie_max_age: 'Session',
    });
    expect(ticket.stepsTried).toStrictEqual([
      { step: 'confirm-pattern', outcome: 'worked' },
      { step: 'fix-server-timeout', outcome: 'skipped' },
    ]);
    expect(ticket.markdown).toContain('| Session timeout value in app config | 1h 30m |');
    expect(ticket.markdown).toContain('Increase session timeout and cookie maxAge: ⤼ skipped');
  });

  it('ends resolved after the feedback answer', () => {
    const doc = documentOf(
      replayFromStdin([
        { choose: 'store' },
        { choose: 'Session persists' },
        { choose: 'All three hold' },
        { feedback: 'yes' },
      ]),
    );

    expect(doc.status).toBe('resolved');
    expect(doc.node).toBe('resolved');
    expect(stepsOf(doc)).toEqual(['triage', 'fix-session-store', 'verify', 'resolved', 'resolved']);
    expect(last(doc.views).feedback?.given).toBe(true);
    expect(doc.ticket).toBeNull();
  });

  it('matches a choice label in any case: the exact label, then a unique start, then a unique part', () => {
    const doc = documentOf(
      replayFromStdin([
        { choose: 'CONFIRM THE EXPIRY PATTERN' },
        { choose: 'i know the' },
        { choose: 'fixed TIME' },
        { choose: 'lower than users' },
      ]),
    );

    expect(stepsOf(doc)).toEqual([
      'triage',
      'confirm-pattern',
      'expiry-pattern',
      'server-timeout-check',
      'fix-server-timeout',
    ]);
  });

  it('prefers a label that starts with the text over one that only contains it', () => {
    // "Expires on refresh; …" starts with it; "Adjusted timeout, …; it still expires too fast" contains it.
    const doc = documentOf(replayFromStdin([{ choose: 'when to' }, { choose: 'expires' }]));

    expect(doc.node).toBe('escalate-infrastructure');
  });

  it('prefers the exact label over a longer label that starts with it', () => {
    const guide = join(scratch, 'disk-full.yaml');
    writeFileSync(
      guide,
      readFileSync(join(ROOT, 'tests', 'fixtures', 'flows', 'valid.yaml'), 'utf8').replace(
        "label: I don't know what fills it",
        'label: Logs are huge and still growing',
      ),
    );

    expect(documentOf(replayFromStdin([{ choose: 'logs are HUGE' }], guide)).node).toBe('rotate-logs');
    expect(documentOf(replayFromStdin([{ choose: 'logs are huge and' }], guide)).node).toBe('measure');
  });

  it('looks up FAQ answers by the start or the whole of the question and stays on the step', () => {
    const doc = documentOf(
      replayFromStdin([
        { choose: 'store' },
        { faq: 'what is the difference between session timeout' },
        { faq: 'Can a load balancer cause session expiry?' },
      ]),
    );

    expect(doc.node).toBe('fix-session-store');
    expect(stepsOf(doc)).toEqual(['triage', 'fix-session-store', 'fix-session-store', 'fix-session-store']);
    expect(doc.views.map((view) => view.faqAnswer?.id ?? null)).toEqual([
      null,
      null,
      'timeout-vs-max-age',
      'load-balancer',
    ]);
  });

  it('goes back to change an answer', () => {
    const doc = documentOf(
      replayFromStdin([
        { choose: 'confirm' },
        { choose: 'good' },
        { choose: 'fixed-time' },
        { back: true },
        { choose: 'On page refresh' },
      ]),
    );

    expect(stepsOf(doc)).toEqual([
      'triage',
      'confirm-pattern',
      'expiry-pattern',
      'server-timeout-check',
      'expiry-pattern',
      'fix-load-balancer',
    ]);
    expect(last(doc.views).history.map((item) => item.answer)).toContain('On page refresh');
  });

  it('restarts at the triage question with nothing answered', () => {
    const doc = documentOf(replayFromStdin([{ choose: 'server' }, { choose: 'bad' }, { restart: true }]));

    expect(doc.status).toBe('active');
    expect(doc.node).toBe('triage');
    expect(stepsOf(doc)).toEqual(['triage', 'fix-server-timeout', 'store-ttl-check', 'triage']);
    expect(last(doc.views).history).toEqual([]);
  });

  it('exits 2 naming the event that does not fit and listing what the step accepts', () => {
    const { status, stdout, stderr } = replayFromStdin([
      { choose: 'follow' },
      { submit: { session_timeout: '1h' } },
    ]);

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('event 2 {"submit":{"session_timeout":"1h"}} does not fit step "full-guide"');
    expect(stderr).toMatch(
      /^It accepts: choose: continue \("Get started"\); back; restart; escalate; faq: /m,
    );
    expectNoStackTrace(stderr);
  });

  it('exits 2 for going back before any answer, saying there is nothing to go back to', () => {
    const { status, stderr } = replayFromStdin([{ back: true }]);

    expect(status).toBe(2);
    expect(stderr).toContain('event 1 {"back":true} does not fit step "triage"');
    expect(stderr).toContain('there is no earlier answer to go back to');
    expect(stderr).toMatch(/^It accepts: choose: follow \("Follow this guide"\);.*; escalate; faq: /m);
  });

  it('exits 2 for a label that matches several choices, naming them', () => {
    const { status, stdout, stderr } = replayFromStdin([{ choose: 'Fix' }]);

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('event 1 {"choose":"Fix"}');
    expect(stderr).toContain('it matches more than one choice: "Fix server timeout", "Fix session store"');
    expectNoStackTrace(stderr);
  });

  it('exits 2 with a clear message for events that are not JSON', () => {
    const { status, stdout, stderr } = replayFromStdin('[{"choose": "follow"');

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^fixpath replay: the events are not JSON: /);
    expectNoStackTrace(stderr);
  });

  it('exits 2 asking for a list when the events are a single object', () => {
    const { status, stderr } = replayFromStdin({ choose: 'follow' });

    expect(status).toBe(2);
    expect(stderr).toContain('the events must be a JSON list, e.g. [{"choose": "follow"}');
    expectNoStackTrace(stderr);
  });

  it('exits 2 naming the event whose shape is unknown and the shapes it accepts', () => {
    const { status, stdout, stderr } = replayFromStdin([{ choose: 'follow' }, { chose: 'Get started' }]);

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^fixpath replay: event 2 is not one of /);
    for (const shape of ['{"choose": …}', '{"submit": {…}}', '{"back": true}', '{"faq": …}', '{"feedback": '])
      expect(stderr).toContain(shape);
    expectNoStackTrace(stderr);
  });

  it('exits 2 for an unknown guide id, listing the guides it knows', () => {
    const known = readdirSync(join(ROOT, 'flows'))
      .filter((name) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name))
      .map((name) => guideYaml(name).id);
    const { status, stdout, stderr } = replayFromStdin([], 'no-such-guide');

    expect(status).toBe(2);
    expect(stdout).toBe('');
    const listed = /no guide has the id "no-such-guide" \(guides: (?<ids>[^)]*)\)/.exec(stderr)?.groups?.ids;
    expect(listed?.split(', ').sort()).toEqual(known.sort());
    expectNoStackTrace(stderr);
  });

  it('walks a guide given as a file path the same way as by its id', () => {
    const events = [{ choose: 'server' }, { choose: 'bad' }, { choose: 'yes' }];
    const byPath = documentOf(replayFromFile(events, `flows/${GUIDE}.yaml`));
    const byId = documentOf(replayFromFile(events));

    expect(byPath.guide).toBe(GUIDE);
    expect(byPath.node).toBe('fix-session-store');
    expect({ ...byPath, views: stepsOf(byPath) }).toEqual({ ...byId, views: stepsOf(byId) });
  });
});
