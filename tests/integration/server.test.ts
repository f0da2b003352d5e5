import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type Fixpath, startFixpath } from '../../src/main.ts';
import { FakeTeamsConnector } from '../helpers/fake-teams-connector.ts';
import { FLOWS_DIR } from '../helpers/guides.ts';
import { cardIn, message, personalChat, postActivity, titleOf } from '../helpers/teams-activities.ts';

let running: Array<{ stop(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.stop()));
  running = [];
});

async function start(env: Record<string, string>): Promise<{ fixpath: Fixpath; logs: string[] }> {
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const config = loadConfig({ FIXPATH_FLOWS_DIR: FLOWS_DIR, FIXPATH_DATABASE: ':memory:', ...env });
  const fixpath = await startFixpath(config, { port: 0, logDestination: sink });
  running.push(fixpath);
  return { fixpath, logs };
}

describe('the fixpath server', () => {
  it('serves health with no configuration at all, and no chat endpoints it was not given', async () => {
    const { fixpath, logs } = await start({});
    expect((await fetch(`${fixpath.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${fixpath.url}/slack/events`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${fixpath.url}/api/messages`, { method: 'POST' })).status).toBe(404);
    const started = JSON.parse(logs.find((l) => l.includes('fixpath is serving')) ?? '{}');
    expect(started).toMatchObject({ store: 'SQLite at :memory:', slack: 'off', teams: 'off' });
  });

  it('answers Teams on /api/messages of the same server, and says loudly that authentication is off', async () => {
    const connector = new FakeTeamsConnector();
    const serviceUrl = await connector.start();
    running.push(connector);
    const { fixpath, logs } = await start({ FIXPATH_TEAMS_LOCAL_NO_AUTH: 'true' });
    expect(logs.join('')).toContain('WITHOUT authentication');
    const response = await postActivity(
      fixpath.url,
      message(personalChat(serviceUrl), 'start session-expiry'),
    );
    expect(response.status).toBeLessThan(300);
    const deadline = Date.now() + 5000;
    while (!connector.calls.some((c) => c.method === 'POST') && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const posted = connector.calls.find((c) => c.method === 'POST');
    expect(titleOf(cardIn(posted))).toBe('Quick triage — pick your path');
  });

  it('files an escalation as a Markdown ticket in the tickets folder, with no other configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fixpath-tickets-'));
    const { fixpath } = await start({ FIXPATH_TICKETS_DIR: dir });
    const actor = { id: 'U024BE7LH', name: 'Ada Lovelace' };
    const key = 'web:server-test';
    await fixpath.engine.turn({ key, event: { type: 'start', flowId: 'other-problem' }, actor });
    await fixpath.engine.turn({ key, event: { type: 'choose', choice: 'file' }, actor });
    const filed = await fixpath.engine.turn({
      key,
      event: {
        type: 'submit',
        values: { problem: 'The wiki shows a blank page since noon.', impact: 'team' },
      },
      actor,
    });
    expect(filed.view.status).toBe('escalated');
    const deadline = Date.now() + 10_000;
    while (readdirSync(dir).length === 0 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    const [file] = readdirSync(dir);
    expect(file).toMatch(/\.md$/);
    expect(readFileSync(join(dir, file ?? ''), 'utf8')).toContain('The wiki shows a blank page since noon.');
  });
});
