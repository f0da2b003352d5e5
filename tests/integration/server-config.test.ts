import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { FixpathError } from '../../src/errors.ts';
import { type Fixpath, startFixpath } from '../../src/main.ts';
import { FLOWS_DIR } from '../helpers/guides.ts';

// The configuration file's ticket routing names guides and their capture fields, which only exist
// once flows/ is read: start-up checks them before anything is served.

let running: Fixpath[] = [];
let folders: string[] = [];
afterEach(async () => {
  await Promise.all(running.map((r) => r.stop()));
  running = [];
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders = [];
});

/** Starts fixpath with `yaml` as its configuration file; the file's path, and the start-up's outcome. */
async function startWith(yaml: string): Promise<{ file: string; outcome: Fixpath | unknown }> {
  const folder = mkdtempSync(join(tmpdir(), 'fixpath-server-config-'));
  folders.push(folder);
  const file = join(folder, 'fixpath.config.yaml');
  writeFileSync(file, yaml);
  const config = loadConfig({
    FIXPATH_FLOWS_DIR: FLOWS_DIR,
    FIXPATH_DATABASE: ':memory:',
    FIXPATH_TICKETS_DIR: join(folder, 'tickets'),
    FIXPATH_CONFIG: file,
  });
  const logs = new Writable({
    write(_chunk, _encoding, done) {
      done();
    },
  });
  try {
    const fixpath = await startFixpath(config, { port: 0, logDestination: logs });
    running.push(fixpath);
    return { file, outcome: fixpath };
  } catch (err) {
    return { file, outcome: err };
  }
}

function refusal(outcome: unknown): string {
  if (outcome instanceof FixpathError && outcome.code === 'config_invalid') return outcome.message;
  throw new Error(`expected start-up to stop with config_invalid, got ${String(outcome)}`);
}

describe('starting fixpath with a configuration file', () => {
  it('stops when ticket routing names a guide that does not exist, listing the guides there are', async () => {
    const { file, outcome } = await startWith(
      [
        'tickets:',
        '  guides:',
        '    session-expiry: [file]',
        '    sesion-expiry: [file]',
        '  duplicates:',
        '    keyFields:',
        '      cors-eror: [origin]',
      ].join('\n'),
    );
    const message = refusal(outcome);
    expect(message).toContain(`${file}: tickets.guides.sesion-expiry: no guide has the id "sesion-expiry"`);
    expect(message).toContain(
      `${file}: tickets.duplicates.keyFields.cors-eror: no guide has the id "cors-eror"`,
    );
    expect(message).toContain('did you mean "session-expiry"?');
    expect(message).toContain('did you mean "cors-error"?');
    const listed = /guides: ([^)]*)\)/.exec(message)?.[1]?.split(', ');
    expect(listed).toEqual(expect.arrayContaining(['cors-error', 'session-expiry']));
    expect(message).not.toContain('tickets.guides.session-expiry');
  });

  it('stops when a key field is not one of the guide’s capture fields, listing the ones it captures', async () => {
    const { file, outcome } = await startWith(
      [
        'tickets:',
        '  duplicates:',
        '    keyFields:',
        '      session-expiry: [store_type, expected_session]',
      ].join('\n'),
    );
    const message = refusal(outcome);
    expect(message).toContain(
      `${file}: tickets.duplicates.keyFields.session-expiry: "expected_session" is not one of its capture fields ` +
        '(session_timeout, store_type, store_ttl, lb_type, sticky_sessions, cookie_max_age)',
    );
    expect(message).not.toContain('"store_type"');
  });

  it('starts when the routing names real guides and fields they capture', async () => {
    const { outcome } = await startWith(
      [
        'tickets:',
        '  guides:',
        '    session-expiry: [file]',
        '  duplicates:',
        '    keyFields:',
        '      session-expiry: [store_type, lb_type]',
      ].join('\n'),
    );
    expect(outcome).toHaveProperty('url');
    expect((await fetch(`${(outcome as Fixpath).url}/healthz`)).status).toBe(200);
  });
});
