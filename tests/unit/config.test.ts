import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.ts';
import { FixpathError } from '../../src/errors.ts';
import { ROOT } from '../helpers/guides.ts';

const SECRET = 'f0e1d2c3b4a5968778695a4b3c2d1e0f';

function problems(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof FixpathError && err.code === 'config_invalid') return err.message;
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

describe('the configuration', () => {
  it('runs the embedded default with an empty environment: SQLite, no Slack, no Teams, port 3978 on loopback', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      store: { kind: 'sqlite', path: './data/fixpath.db' },
      slack: null,
      teams: null,
      port: 3978,
      host: '127.0.0.1',
      idleMs: 7 * 86_400_000,
      flowsDir: 'flows',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('chooses Socket Mode when an app-level token is set and HTTP otherwise', () => {
    const socket = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_APP_TOKEN: 'xapp-1-A1-2-abc' });
    const http = loadConfig({
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_INTAKE_CHANNELS: 'C01, C02',
    });
    expect(socket.slack?.mode).toBe('socket');
    expect(http.slack).toMatchObject({ mode: 'http', intakeChannels: ['C01', 'C02'] });
  });

  it('names every bad variable at once, with what it expects, and never echoes a value', () => {
    const message = problems({
      SLACK_BOT_TOKEN: 'xoxp-user-token-not-a-bot',
      SLACK_API_URL: 'not a url',
      FIXPATH_IDLE_TIMEOUT: 'forever',
      PORT: 'eighty',
    });
    expect(message).toContain('SLACK_BOT_TOKEN: expected a bot token starting with xoxb-');
    expect(message).toContain('SLACK_API_URL');
    expect(message).toContain('FIXPATH_IDLE_TIMEOUT: expected a duration such as 7d, 12h or 30m');
    expect(message).toContain('PORT');
    expect(message).not.toContain('xoxp-user-token-not-a-bot');
  });

  it('refuses Slack HTTP mode without a signing secret, and Slack secrets without a bot token', () => {
    expect(problems({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' })).toContain(
      'SLACK_SIGNING_SECRET: required for HTTP mode',
    );
    expect(problems({ SLACK_SIGNING_SECRET: SECRET })).toContain('SLACK_BOT_TOKEN: required');
  });

  it('refuses to turn Teams authentication off unless local development is explicitly asked for', () => {
    expect(problems({ MICROSOFT_APP_PASSWORD: 'secret' })).toContain('FIXPATH_TEAMS_LOCAL_NO_AUTH=true');
    expect(loadConfig({ FIXPATH_TEAMS_LOCAL_NO_AUTH: 'true' }).teams).toMatchObject({
      appId: '',
      noAuth: true,
    });
    expect(problems({ MICROSOFT_APP_ID: '00000000-0000-0000-0000-000000000001' })).toContain(
      'MICROSOFT_APP_PASSWORD',
    );
  });

  it('uses Redis when REDIS_URL is set', () => {
    expect(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/2' }).store).toEqual({
      kind: 'redis',
      url: 'redis://127.0.0.1:6379/2',
      keyPrefix: 'fixpath:',
    });
  });

  it('documents every variable it reads in .env.example, and nothing it does not read', () => {
    const example = readFileSync(join(ROOT, '.env.example'), 'utf8');
    const documented = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...CONFIG_VARIABLES].sort());
    const defaults = Object.fromEntries(
      [...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1] ?? '', m[2] ?? '']),
    );
    expect(loadConfig(defaults)).toEqual(loadConfig({}));
  });
});
