import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';

// Runs the real `fixpath graph`, `fixpath test` and the top-level usage from the repository root. That the
// Mermaid text renders is proved in a browser by tests/browser/; here it is the command around it.

const ROOT = join(import.meta.dirname, '..', '..');
const FLOWS = join(ROOT, 'flows');

function fixpath(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/fixpath.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function expectNoStackTrace(output: string): void {
  expect(output).not.toMatch(/\n\s+at /);
  expect(output).not.toContain('Error:');
}

interface GuideSteps {
  steps: Array<{ id: string; type: string; title?: string }>;
}

interface GuideTests {
  guide: string;
  tests: Array<{ name: string }>;
}

const COMMANDS = ['validate', 'chat', 'replay', 'graph', 'test'];

describe('fixpath graph', { timeout: 60_000 }, () => {
  it('prints a Mermaid state diagram with a state named after each step title', () => {
    const guide = parse(readFileSync(join(FLOWS, 'session-expiry.yaml'), 'utf8')) as GuideSteps;
    const { status, stdout, stderr } = fixpath('graph', 'session-expiry');

    expect(stderr).toBe('');
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toBe('stateDiagram-v2');
    // A branch is never shown to people, so it is drawn as an unnamed Mermaid choice.
    const shown = guide.steps.filter((step) => step.type !== 'branch');
    const branches = guide.steps.length - shown.length;
    expect(shown.length).toBeGreaterThan(10);
    for (const step of shown) {
      expect(lines.filter((line) => line.startsWith(`  state "${step.title}" as `))).toHaveLength(1);
    }
    expect(lines.filter((line) => /^ {2}state \S+ <<choice>>$/.test(line))).toHaveLength(branches);
    expect(lines.filter((line) => /^ {2}state /.test(line))).toHaveLength(guide.steps.length);
  });

  it('exits 2 with a usage message when no guide is named', () => {
    const { status, stdout, stderr } = fixpath('graph');

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('fixpath graph: name a guide id or file: fixpath graph <guide>\n');
  });
});

describe('fixpath test', { timeout: 90_000 }, () => {
  let scratch = '';
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'fixpath-test-'));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs every test in flows/*.test.yaml by default and ends with "N passed, 0 failed"', () => {
    const total = readdirSync(FLOWS)
      .filter((name) => name.endsWith('.test.yaml'))
      .map((name) => parse(readFileSync(join(FLOWS, name), 'utf8')) as GuideTests)
      .reduce((sum, file) => sum + file.tests.length, 0);
    const { status, stdout, stderr } = fixpath('test');

    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(total).toBeGreaterThan(0);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`${total} passed, 0 failed`);
    expect(stdout.match(/^ {2}✓ /gm)).toHaveLength(total);
  });

  it('exits 1 and shows the test whose expected step changed with ✗ and the difference', () => {
    copyFileSync(join(FLOWS, 'session-expiry.yaml'), join(scratch, 'session-expiry.yaml'));
    const doc = parseDocument(readFileSync(join(FLOWS, 'session-expiry.test.yaml'), 'utf8'));
    const tests = (doc.toJS() as GuideTests).tests;
    const name = 'fix server timeout from triage opens the timeout fix directly';
    const index = tests.findIndex((test) => test.name === name);
    expect(doc.getIn(['tests', index, 'expect', 'node'])).toBe('fix-server-timeout');
    doc.setIn(['tests', index, 'expect', 'node'], 'fix-session-store');
    const file = join(scratch, 'session-expiry.test.yaml');
    writeFileSync(file, doc.toString());

    const { status, stdout, stderr } = fixpath('test', file);

    expect(stderr).toBe('');
    expect(status).toBe(1);
    expect(stdout).toContain(
      `  ✗ ${name}\n      ended on step fix-server-timeout, expected fix-session-store\n`,
    );
    expect(stdout.match(/^ {2}✗ /gm)).toHaveLength(1);
    expect(stdout.trimEnd().split('\n').at(-1)).toBe(`${tests.length - 1} passed, 1 failed`);
  });
});

describe('fixpath', { timeout: 60_000 }, () => {
  it('prints the usage listing the five commands for --help and exits 0', () => {
    const { status, stdout, stderr } = fixpath('--help');

    expect(stderr).toBe('');
    expect(status).toBe(0);
    for (const command of COMMANDS) expect(stdout).toMatch(new RegExp(`^ {2}fixpath ${command} `, 'm'));
  });

  it('exits 2 for an unknown command, naming it above the usage', () => {
    const { status, stdout, stderr } = fixpath('frobnicate');

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^fixpath: unknown command "frobnicate"\n/);
    for (const command of COMMANDS) expect(stderr).toMatch(new RegExp(`^ {2}fixpath ${command} `, 'm'));
    expectNoStackTrace(stderr);
  });
});
