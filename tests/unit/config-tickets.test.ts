import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config.ts';
import { FixpathError } from '../../src/errors.ts';
import { allGuides, ROOT } from '../helpers/guides.ts';

const SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';
const DAY = 86_400_000;

const SLACK = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' };
const TEAMS = {
  MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001',
  MICROSOFT_APP_PASSWORD: 'client-secret',
  MICROSOFT_APP_TENANT_ID: '00000000-0000-0000-0000-000000000002',
};
const GITHUB = { GITHUB_TOKEN: 'github_pat_do_not_echo', GITHUB_REPOSITORY: 'acme/support' };
const JIRA = {
  JIRA_BASE_URL: 'https://acme.atlassian.net',
  JIRA_EMAIL: 'support@acme.example',
  JIRA_API_TOKEN: 'jira-token-do-not-echo',
  JIRA_PROJECT_KEY: 'SUP',
};
const WEBHOOK = { FIXPATH_WEBHOOK_URL: 'https://hooks.acme.example/fixpath', FIXPATH_WEBHOOK_SECRET: SECRET };
const SLACK_CHANNEL = { ...SLACK, SLACK_SUPPORT_CHANNEL: 'C0789JKLM' };
const TEAMS_CHANNEL = { ...TEAMS, TEAMS_SUPPORT_CHANNEL: '19:a1b2c3d4e5f6@thread.tacv2' };

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function folder(): string {
  const made = mkdtempSync(join(tmpdir(), 'fixpath-config-'));
  folders.push(made);
  return made;
}

/** A configuration file with `text` in a folder of its own; its path. */
function configFile(text: string): string {
  const path = join(folder(), 'fixpath.config.yaml');
  writeFileSync(path, text);
  return path;
}

/** The configuration of `env` with `file` as its configuration file (empty by default). */
function load(env: Record<string, string>, file = ''): Readonly<Config> {
  return loadConfig({ FIXPATH_CONFIG: configFile(file), ...env });
}

function refusal(load: () => unknown): string {
  try {
    load();
  } catch (err) {
    if (err instanceof FixpathError && err.code === 'config_invalid') return err.message;
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

function problems(env: Record<string, string>, file = ''): string {
  return refusal(() => load(env, file));
}

/** Runs `body` with an empty temporary folder as the working folder. */
function inEmptyFolder<T>(body: (dir: string) => T): T {
  const before = process.cwd();
  const dir = folder();
  process.chdir(dir);
  try {
    return body(dir);
  } finally {
    process.chdir(before);
  }
}

describe('where tickets go, from the environment', () => {
  it('files tickets as Markdown files only, with a 24 h duplicate window, when nothing is configured', () => {
    const config = inEmptyFolder(() => loadConfig({}));
    expect(config.configFile).toBeNull();
    expect(config.tickets).toMatchObject({
      sinks: ['file'],
      guideSinks: {},
      duplicateWindowMs: DAY,
      keyFields: {},
      github: null,
      jira: null,
      webhook: null,
      slackChannel: null,
      teamsChannel: null,
    });
  });

  it.each([
    ['github', GITHUB],
    ['jira', JIRA],
    ['webhook', WEBHOOK],
    ['slack-channel', SLACK_CHANNEL],
    ['teams-channel', TEAMS_CHANNEL],
  ])('makes %s a default sink, instead of files, once all its variables are set', (sink, env) => {
    expect(load(env).tickets.sinks).toEqual([sink]);
  });

  it('sends tickets to every configured destination by default, and to files too only when named', () => {
    const env = { ...GITHUB, ...JIRA, ...WEBHOOK, ...SLACK_CHANNEL, ...TEAMS_CHANNEL };
    const everything = load(env).tickets;
    expect(everything.sinks).toEqual(['github', 'jira', 'webhook', 'slack-channel', 'teams-channel']);
    expect(everything).toMatchObject({
      github: { token: GITHUB.GITHUB_TOKEN, repository: 'acme/support' },
      jira: { baseUrl: JIRA.JIRA_BASE_URL, projectKey: 'SUP', issueType: 'Task' },
      webhook: { url: WEBHOOK.FIXPATH_WEBHOOK_URL, secret: SECRET },
      slackChannel: 'C0789JKLM',
      teamsChannel: TEAMS_CHANNEL.TEAMS_SUPPORT_CHANNEL,
    });
    expect(load({ ...env, FIXPATH_SINKS: 'file, jira' }).tickets.sinks).toEqual(['file', 'jira']);
  });

  it('stops at a half-configured destination, naming each missing variable and no secret', () => {
    const github = problems({ GITHUB_TOKEN: GITHUB.GITHUB_TOKEN });
    expect(github).toContain('GITHUB_REPOSITORY: required for GitHub issues');
    expect(github).not.toContain(GITHUB.GITHUB_TOKEN);

    const jira = problems({ JIRA_EMAIL: JIRA.JIRA_EMAIL });
    for (const name of ['JIRA_BASE_URL', 'JIRA_API_TOKEN', 'JIRA_PROJECT_KEY'])
      expect(jira).toContain(`${name}: required for Jira issues`);
    expect(jira).not.toContain('JIRA_EMAIL: required');

    expect(problems({ FIXPATH_WEBHOOK_URL: WEBHOOK.FIXPATH_WEBHOOK_URL })).toContain(
      'FIXPATH_WEBHOOK_SECRET: required for the webhook',
    );
  });

  it('refuses FIXPATH_SINKS naming a sink that is not configured, saying what to set', () => {
    const message = problems({ FIXPATH_SINKS: 'github,jira' });
    expect(message).toContain(
      'FIXPATH_SINKS: github is not configured (set GITHUB_TOKEN and GITHUB_REPOSITORY)',
    );
    expect(message).toContain(
      'FIXPATH_SINKS: jira is not configured (set JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN and JIRA_PROJECT_KEY)',
    );
  });

  it('refuses FIXPATH_SINKS with an unknown name, listing the names it knows', () => {
    expect(problems({ FIXPATH_SINKS: 'file,email' })).toContain(
      'FIXPATH_SINKS: expected sink names separated by commas, from: file, github, jira, webhook, slack-channel, teams-channel',
    );
  });

  it('refuses intake channels without Slack, from the environment or the file', () => {
    expect(problems({ SLACK_INTAKE_CHANNELS: 'C0123ABCD' })).toContain(
      'SLACK_INTAKE_CHANNELS: needs Slack (SLACK_BOT_TOKEN)',
    );
    expect(problems({}, ['slack:', '  intakeChannels: [C0123ABCD]'].join('\n'))).toMatch(
      /: slack\.intakeChannels: needs Slack \(SLACK_BOT_TOKEN\)/,
    );
  });

  it('refuses a support channel without its platform', () => {
    expect(problems({ SLACK_SUPPORT_CHANNEL: 'C0789JKLM' })).toContain(
      'SLACK_SUPPORT_CHANNEL: needs Slack (SLACK_BOT_TOKEN)',
    );
    expect(problems({ TEAMS_SUPPORT_CHANNEL: TEAMS_CHANNEL.TEAMS_SUPPORT_CHANNEL })).toContain(
      'TEAMS_SUPPORT_CHANNEL: needs Teams (MICROSOFT_APP_ID)',
    );
  });

  it('reads FIXPATH_DUPLICATE_WINDOW as a duration or off, and refuses anything else with what it expects', () => {
    expect(load({ FIXPATH_DUPLICATE_WINDOW: 'off' }).tickets.duplicateWindowMs).toBeNull();
    expect(load({ FIXPATH_DUPLICATE_WINDOW: '3d' }).tickets.duplicateWindowMs).toBe(3 * DAY);
    expect(problems({ FIXPATH_DUPLICATE_WINDOW: 'soon' })).toContain(
      'FIXPATH_DUPLICATE_WINDOW: expected a duration such as 24h or 3d, or off',
    );
  });
});

describe('the configuration file', () => {
  it('routes tickets per guide and reads the key fields of duplicates', () => {
    const config = load(
      GITHUB,
      [
        'tickets:',
        '  guides:',
        '    session-expiry: [github, file]',
        '  duplicates:',
        '    window: 3d',
        '    keyFields:',
        '      session-expiry: [store_type, lb_type]',
      ].join('\n'),
    );
    expect(config.tickets).toMatchObject({
      sinks: ['github'],
      guideSinks: { 'session-expiry': ['github', 'file'] },
      duplicateWindowMs: 3 * DAY,
      keyFields: { 'session-expiry': ['store_type', 'lb_type'] },
    });
  });

  it('gives way to the environment wherever both set the same thing', () => {
    const file = [
      'slack:',
      '  intakeChannels: [C0123ABCD]',
      'tickets:',
      '  sinks: [file]',
      '  duplicates:',
      '    window: 3d',
    ].join('\n');
    const fromFile = load({ ...GITHUB, ...SLACK }, file);
    expect(fromFile.tickets.sinks).toEqual(['file']);
    expect(fromFile.slack?.intakeChannels).toEqual(['C0123ABCD']);
    expect(fromFile.tickets.duplicateWindowMs).toBe(3 * DAY);

    const fromEnv = load(
      {
        ...GITHUB,
        ...SLACK,
        FIXPATH_SINKS: 'github',
        SLACK_INTAKE_CHANNELS: 'C0456EFGH,C0789JKLM',
        FIXPATH_DUPLICATE_WINDOW: 'off',
      },
      file,
    );
    expect(fromEnv.tickets.sinks).toEqual(['github']);
    expect(fromEnv.slack?.intakeChannels).toEqual(['C0456EFGH', 'C0789JKLM']);
    expect(fromEnv.tickets.duplicateWindowMs).toBeNull();
  });

  it('refuses an unknown key with its file, line and column, suggesting the closest key', () => {
    const file = configFile(['tickets:', '  duplicates:', '    window: 24h', '    keyfields: {}'].join('\n'));
    expect(refusal(() => loadConfig({ FIXPATH_CONFIG: file }))).toContain(
      `${file}:4:5: tickets.duplicates.keyfields: unknown key \`keyfields\` (did you mean \`keyFields\`?)`,
    );
  });

  it('refuses a sink or a window it cannot read, naming the file and the key', () => {
    const file = configFile(['tickets:', '  sinks: [file, email]'].join('\n'));
    expect(refusal(() => loadConfig({ FIXPATH_CONFIG: file }))).toContain(
      `${file}:2:17: tickets.sinks[1]: expected one of "file", "github"`,
    );
    const window = configFile(['tickets:', '  duplicates:', '    window: soon'].join('\n'));
    expect(refusal(() => loadConfig({ FIXPATH_CONFIG: window }))).toContain(
      `${window}: tickets.duplicates.window: expected a duration such as 24h or 3d, or off`,
    );
    const github = configFile(['tickets:', '  guides:', '    session-expiry: [github]'].join('\n'));
    expect(refusal(() => loadConfig({ FIXPATH_CONFIG: github }))).toContain(
      `${github}: tickets.guides.session-expiry: github is not configured (set GITHUB_TOKEN and GITHUB_REPOSITORY)`,
    );
  });

  it('refuses a support channel in the file without its platform, naming the file key', () => {
    const file = configFile(
      ['slack:', '  supportChannel: C0789JKLM', 'teams:', `  supportChannel: '19:a1b2@thread.tacv2'`].join(
        '\n',
      ),
    );
    const message = refusal(() => loadConfig({ FIXPATH_CONFIG: file }));
    expect(message).toContain(`${file}: slack.supportChannel: needs Slack (SLACK_BOT_TOKEN)`);
    expect(message).toContain(`${file}: teams.supportChannel: needs Teams (MICROSOFT_APP_ID)`);
  });

  it('names the line of a YAML syntax error', () => {
    const file = configFile(['tickets:', '  sinks: [file', '  guides: {}'].join('\n'));
    expect(refusal(() => loadConfig({ FIXPATH_CONFIG: file }))).toMatch(
      new RegExp(`${escapeRegExp(file)}:3:\\d+: YAML syntax: `),
    );
  });

  it('refuses an explicit FIXPATH_CONFIG that does not exist', () => {
    const missing = join(folder(), 'fixpath.config.yaml');
    expect(refusal(() => loadConfig({ FIXPATH_CONFIG: missing }))).toContain(
      `FIXPATH_CONFIG: cannot read ${missing}`,
    );
  });

  it('reads fixpath.config.yaml from the working folder when FIXPATH_CONFIG is not set, and needs none', () => {
    inEmptyFolder((dir) => {
      expect(loadConfig({}).configFile).toBeNull();
      writeFileSync(join(dir, 'fixpath.config.yaml'), 'tickets:\n  duplicates:\n    window: 3d\n');
      const config = loadConfig({});
      expect(config.configFile).toBe('fixpath.config.yaml');
      expect(config.tickets.duplicateWindowMs).toBe(3 * DAY);
    });
  });

  it('takes a file of comments only as an empty configuration', () => {
    const config = load({}, '# tickets:\n#   sinks: [github]\n\n   # nothing else\n');
    expect(config.tickets).toMatchObject({ sinks: ['file'], guideSinks: {}, duplicateWindowMs: DAY });
  });

  it('loads fixpath.config.example.yaml, whose guides and key fields exist in flows/', async () => {
    const config = loadConfig({
      ...SLACK,
      ...TEAMS,
      FIXPATH_CONFIG: join(ROOT, 'fixpath.config.example.yaml'),
    });
    expect(config.slack?.intakeChannels.length).toBeGreaterThan(0);
    expect(config.tickets.slackChannel).not.toBeNull();
    expect(config.tickets.teamsChannel).not.toBeNull();
    expect(config.tickets.duplicateWindowMs).not.toBeNull();
    const guides = new Map((await allGuides()).map((f) => [f.definition.id, f.definition]));
    const routed = [...Object.keys(config.tickets.guideSinks), ...Object.keys(config.tickets.keyFields)];
    expect(routed.length).toBeGreaterThan(0);
    for (const id of routed) expect(guides.has(id), id).toBe(true);
    for (const [id, fields] of Object.entries(config.tickets.keyFields)) {
      const captured = guides.get(id)?.capture.items.flatMap((item) => item.fields ?? []);
      expect(captured).toEqual(expect.arrayContaining([...fields]));
    }
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
