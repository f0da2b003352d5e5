import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// Runs the real `fixpath` binary, as an author or CI would, from the repository root.

const ROOT = join(import.meta.dirname, '..', '..');
const FIXTURES = 'tests/fixtures/flows';

function fixpath(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/fixpath.js', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 15_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** `file:line:column: ` at the start of a line, the shape editors and CI annotations jump to. */
const ISSUE_LINE = /^(?<file>[^\s:]+):\d+:\d+: /;

function issueLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => ISSUE_LINE.test(line));
}

function expectNoStackTrace(output: string): void {
  expect(output).not.toMatch(/\n\s+at /);
  expect(output).not.toContain('Error:');
}

describe('fixpath validate', () => {
  const broken = [
    'invalid-unknown-target.yaml',
    'invalid-dead-end.yaml',
    'invalid-yaml-syntax.yaml',
    'invalid-not-a-mapping.yaml',
    'evil-merge-key.yaml',
    'evil-billion-laughs.yaml',
  ].map((name) => `${FIXTURES}/${name}`);

  it('exits 1 and lists every issue of every broken guide as file:line:column, then counts them', () => {
    const { status, stdout, stderr } = fixpath('validate', `${FIXTURES}/valid.yaml`, ...broken);

    expect(status).toBe(1);
    const lines = issueLines(stderr);
    const files = new Set(lines.map((line) => ISSUE_LINE.exec(line)?.groups?.file));
    expect([...files].sort()).toEqual([...broken].sort());
    expect(stderr).toContain(
      `${FIXTURES}/invalid-unknown-target.yaml:70:49: steps[3].check.good.next: no step has the id \`verfy\``,
    );
    expect(stderr).toContain(
      `${FIXTURES}/evil-merge-key.yaml:78:7: merge keys (<<) are not allowed in a guide`,
    );
    expect(stderr).toMatch(new RegExp(`\\n${lines.length} problems in ${broken.length} files\\n$`));
    expect(stdout).toContain(`ok  ${FIXTURES}/valid.yaml  (disk-full v1.0.0, 7 steps)`);
    expectNoStackTrace(stderr);
  });

  it('says "1 problem in 1 file" for a single issue', () => {
    const { status, stderr } = fixpath('validate', `${FIXTURES}/invalid-duplicate-choice-id.yaml`);

    expect(status).toBe(1);
    expect(stderr).toBe(
      `${FIXTURES}/invalid-duplicate-choice-id.yaml:45:15: steps[0].choices[1].id: duplicate choice id \`logs\`\n` +
        '\n1 problem in 1 file\n',
    );
  });

  it('checks the guides in flows/ when given no path, and exits 0 when they are all valid', () => {
    const guides = readdirSync(join(ROOT, 'flows')).filter(
      (name) => /\.ya?ml$/.test(name) && !/\.test\.ya?ml$/.test(name),
    );
    const { status, stdout, stderr } = fixpath('validate');

    expect(stderr).toBe('');
    expect(status).toBe(0);
    for (const guide of guides) expect(stdout).toContain(`ok  flows/${guide}  (`);
    expect(stdout).toMatch(new RegExp(`\\n${guides.length} guides? valid\\n$`));
  });

  it('exits 2 with a one-line message when a path does not exist', () => {
    const { status, stdout, stderr } = fixpath('validate', `${FIXTURES}/no-such-guide.yaml`);

    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^fixpath validate: \S*tests\/fixtures\/flows\/no-such-guide\.yaml: no such file or folder\n$/,
    );
    expectNoStackTrace(stderr);
  });
});
