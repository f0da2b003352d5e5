import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs the real `fixpath chat` binary from the repository root, typing every answer into a piped stdin and
// then closing it, the way a script or a terminal with Ctrl-D at the end would.

const ROOT = join(import.meta.dirname, '..', '..');
/** Where `fixpath chat` saves tickets in these tests (FIXPATH_TICKETS_DIR). */
const TICKETS = mkdtempSync(join(tmpdir(), 'fixpath-chat-tickets-'));

function chat(...lines: string[]) {
  const run = spawnSync(process.execPath, ['bin/fixpath.js', 'chat', 'session-expiry'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    input: lines.map((line) => `${line}\n`).join(''),
    env: { ...process.env, NO_COLOR: '1', FIXPATH_TICKETS_DIR: TICKETS },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, screens: screensOf(run.stdout) };
}

/** Each step as printed, from its `━━ title ━━` header to the next one (the first starts the output). */
function screensOf(stdout: string): string[] {
  return stdout.split(/^(?=━━ )/m).map((screen) => screen.trimEnd());
}

/** The compact history above a step: one line per answer, marked ·, ✓, ✗ or ⤼. */
function historyOf(screen: string): string[] {
  return screen.split('\n').filter((line) => /^ {2}[·✓✗⤼] /.test(line));
}

function last<T>(items: readonly T[]): T {
  const item = items.at(-1);
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** A Slack bot token assembled at run time, so no token-shaped string sits in the source. */
const SLACK_TOKEN = ['xoxb', '123', '456', 'abcdefghijklmnopqrstuvwx'].join('-');

const TRIAGE = 'Quick triage — pick your path';
const EXPIRY_QUESTION = 'Does the session expire after a fixed time or on refresh?';

describe('fixpath chat', { timeout: 60_000 }, () => {
  it('walks to the resolution with numbers and labels, then thanks you for the feedback', () => {
    const { status, stdout, stderr, screens } = chat(
      '1',
      'get started',
      'I know',
      '1',
      'lower than users',
      'Session lasts',
      'ALL THREE',
      'yes',
    );

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(screens).toHaveLength(9);
    expect(historyOf(last(screens))).toEqual([
      `  · ${TRIAGE}: Follow this guide`,
      '  · Steps: Get started',
      '  ✓ Confirm the expiry pattern: I know the pattern: proceed to the matching fix path',
      `  · ${EXPIRY_QUESTION}: After a fixed time (e.g. 5 min)`,
      '  · Is the server session timeout too low?: Yes, it is lower than users expect',
      '  ✓ Increase session timeout and cookie maxAge: Session lasts as expected',
      '  · Verification: All three hold',
    ]);
    const resolution = screens.at(-2) ?? '';
    expect(resolution).toContain('\nSession fixed\n');
    expect(resolution).toContain('The session now lasts as configured.');
    expect(resolution).toContain('Was this helpful?');
    expect(last(screens)).toContain('Thanks for your feedback.');
    expect(last(screens)).not.toContain('Was this helpful?');
    expect(stdout).not.toContain('is not one of the choices');
  });

  it('escalates from the middle of a fix, asks for each missing detail and prints the ticket without the pasted token', () => {
    const { status, stdout, stderr } = chat(
      'confirm',
      '1',
      'fixed',
      'lower than',
      'escalate',
      '90m',
      '2',
      '1800',
      'nginx',
      'no',
      `Session; ${SLACK_TOKEN}`,
    );

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toContain(
      'Before the ticket is filed: The Backend or infrastructure support team will need these details.',
    );
    for (const prompt of [
      'Session timeout value in app config (a duration',
      'Session store type (pick one):',
      'Session store TTL (a duration',
      'Load balancer type (pick one):',
      'Sticky sessions (session affinity) enabled (yes or no, optional):',
      'Cookie maxAge from DevTools (text):',
    ]) {
      expect(count(stdout, prompt)).toBe(1);
    }
    const [, markdown = ''] = stdout.split('Ticket filed for Backend or infrastructure support:\n');
    expect(markdown).toMatch(
      /^## Fix a session that expires fast: After a fixed time \(e\.g\. 5 min\) \(reported by .+\)$/m,
    );
    const capture = markdown.slice(markdown.indexOf('### What to capture'));
    for (const row of [
      '| Session timeout value in app config | 1h 30m |',
      '| Session store type and TTL | Session store type: Redis<br>Session store TTL: 30m |',
      '| Load balancer type and sticky sessions | Load balancer type: NGINX<br>Sticky sessions (session affinity) enabled: no |',
      '| Cookie maxAge from DevTools | Session; \\[redacted: slack token\\] |',
      '| Steps already tried | 2 (listed below) |',
    ]) {
      expect(capture).toContain(`\n${row}\n`);
    }
    expect(markdown).toMatch(/^1\. Confirm the expiry pattern: ✓ worked \(/m);
    expect(markdown).toMatch(/^2\. Increase session timeout and cookie maxAge: ⤼ skipped \(/m);
    expect(stdout).toContain(
      'Something that looked like a secret was removed from: Cookie maxAge from DevTools.',
    );
    expect(stdout).not.toContain(SLACK_TOKEN);
    expect(stdout).not.toContain('abcdefghijklmnopqrstuvwx');

    // With no configuration, the ticket is also saved as a Markdown file, and the path is printed.
    const path = /^The ticket is saved as (.+\.md)$/m.exec(stdout)?.[1];
    expect(path?.startsWith(TICKETS)).toBe(true);
    expect(readdirSync(TICKETS)).toContain(path?.slice(TICKETS.length + 1));
    const saved = readFileSync(path ?? '', 'utf8');
    expect(saved).toMatch(/^## Fix a session that expires fast: /);
    expect(stdout).toContain(saved.trim());
    expect(saved).not.toContain(SLACK_TOKEN);
  });

  it('goes back to the previous question with "back" and shows the new answer in the history', () => {
    const { status, screens } = chat('2', 'I know', '1', 'back', 'On page');

    expect(status).toBe(0);
    expect(screens).toHaveLength(6);
    const [, , , timeoutCheck = '', reopened = '', loadBalancer = ''] = screens;
    expect(historyOf(timeoutCheck)).toContain(`  · ${EXPIRY_QUESTION}: After a fixed time (e.g. 5 min)`);
    expect(reopened).toContain(`\n${EXPIRY_QUESTION}\n`);
    expect(historyOf(reopened).join('\n')).not.toContain(EXPIRY_QUESTION);
    expect(loadBalancer).toContain('\nUse sticky sessions or shared session store\n');
    expect(historyOf(loadBalancer)).toContain(`  · ${EXPIRY_QUESTION}: On page refresh`);
    expect(loadBalancer).not.toContain('After a fixed time');
  });

  it('starts over at the triage question with "restart", with no history left', () => {
    const { status, screens } = chat('3', 'Still expires', 'restart');

    expect(status).toBe(0);
    expect(screens).toHaveLength(4);
    expect(historyOf(screens[2] ?? '')).toHaveLength(2);
    expect(last(screens)).toContain(`\n${TRIAGE}\n`);
    expect(historyOf(last(screens))).toEqual([]);
    expect(last(screens)).toBe(screens[0]);
  });

  it('lists the FAQ on "faq" and prints the answer picked by number, or by words on the same line', () => {
    const { status, stdout, screens } = chat('faq', '2', 'faq load balancer');

    expect(status).toBe(0);
    expect(stdout).toContain(
      '  1. Why would a session expire too quickly?\n' +
        '  2. What is the difference between session timeout and cookie maxAge?\n' +
        '  3. Can a load balancer cause session expiry?\n' +
        'Which question? ',
    );
    expect(screens).toHaveLength(3);
    const [, byNumber = '', byWords = ''] = screens;
    expect(byNumber).toContain(
      'FAQ: What is the difference between session timeout and cookie maxAge?\n' +
        '  Session timeout is server-side: how long the server keeps the session.',
    );
    expect(byWords).toContain(
      'FAQ: Can a load balancer cause session expiry?\n' +
        '  Yes. If the load balancer does not use sticky sessions',
    );
    for (const screen of screens) expect(screen).toContain(`\n${TRIAGE}\n`);
  });

  it('prints the command list on "help" and stays on the step', () => {
    const { status, stdout, screens } = chat('help');

    expect(status).toBe(0);
    expect(screens).toHaveLength(1);
    expect(stdout).toContain('> Commands:\n');
    for (const command of [
      '<number> or <label>',
      'back',
      'restart',
      'escalate',
      'faq',
      'record',
      'help',
      'quit',
    ]) {
      expect(stdout).toMatch(new RegExp(`^ {2}${command}\\s`, 'm'));
    }
  });

  it('answers an unknown word or an ambiguous label with a hint and keeps the step for the next answer', () => {
    const { status, stdout, screens } = chat('banana', 'Fix', '1');

    expect(status).toBe(0);
    expect(stdout).toContain('> "banana" is not one of the choices. Type a number, a label, or help.\n');
    expect(stdout).toContain(
      '> "Fix" matches several choices: Fix server timeout, Fix session store. Type more of it, or its number.\n',
    );
    expect(screens).toHaveLength(2);
    expect(screens[0]).toContain(`\n${TRIAGE}\n`);
    expect(historyOf(last(screens))).toEqual([`  · ${TRIAGE}: Follow this guide`]);
  });

  it('asks again for only the field with an invalid duration, showing its error, then moves on', () => {
    const { status, stdout, screens } = chat('2', '1', '1', '3', 'forever', '8h', '', '5m');

    expect(status).toBe(0);
    const retry = stdout.slice(stdout.indexOf('Some answers need another look:'));
    expect(retry).toMatch(
      /^ {2}✗ Enter a duration such as 30m, 1h, 90s or 3600000ms\.\n(?: {2}.*\n)*Session timeout value in app config \(a duration such as 30m, 1h or 3600000ms\) \[forever\]: /m,
    );
    expect(count(stdout, 'Session timeout value in app config (')).toBe(2);
    expect(count(stdout, 'How long users expect to stay logged in (')).toBe(1);
    expect(count(stdout, 'Session store TTL (')).toBe(1);
    expect(last(screens)).toContain('\nIncrease session timeout and cookie maxAge\n');
    expect(historyOf(last(screens))).toContain(
      '  · Compare the session timeout, expected length and store TTL: Session timeout value in app config: 5m; ' +
        'How long users expect to stay logged in: 8h; Session store TTL: (not given)',
    );
  });

  it('ends with exit code 0 when stdin closes at a step', () => {
    const { status, stdout, stderr, screens } = chat();

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(screens).toHaveLength(1);
    expect(stdout).toMatch(/\n> $/);
  });

  it('ends with exit code 0 when stdin closes in the middle of a form', () => {
    const { status, stdout, stderr } = chat('2', '1', '1', '3', '5m');

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(
      /How long users expect to stay logged in \(a duration such as 30m, 1h or 3600000ms\): $/,
    );
  });

  it('leaves a form with back, since the commands work on every field too', () => {
    // confirm → fixed time → "not sure" opens the compare form; `back` on its first field answers none of it.
    const { status, screens, stdout } = chat('2', '1', '1', '3', 'back', 'quit');
    expect(status).toBe(0);
    expect(stdout).not.toContain('Enter a duration');
    expect(last(screens)).toContain('Is the server session timeout too low?');
    expect(historyOf(last(screens)).at(-1)).toBe(`  · ${EXPIRY_QUESTION}: After a fixed time (e.g. 5 min)`);
  });

  it('reads only digits as a choice number, so 0x2 is taken as text', () => {
    const { screens, stdout } = chat('0x2', 'quit');
    expect(stdout).toContain('"0x2" is not one of the choices');
    expect(screens).toHaveLength(1);
  });

  it('asks "Was this helpful?" above its answers and drops the step counter once the guide is done', () => {
    const { screens } = chat('4', '1', '1');
    const resolution = last(screens);
    expect(resolution.indexOf('Was this helpful?')).toBeLessThan(resolution.indexOf('1. Yes'));
    expect(resolution.split('\n')[0]).not.toMatch(/step \d+ of/);
    expect(screens[0]?.split('\n')[0]).toMatch(/step 1 of \d+/);
  });
});
