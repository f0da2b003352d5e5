import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateSync } from 'node:zlib';
import { Ajv } from 'ajv';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isScalar, isSeq, parse, parseDocument } from 'yaml';
import { drawColorIcon, drawOutlineIcon } from '../../scripts/make-teams-icons.ts';

// The Slack and Teams app manifests checked against the platforms' official schemas, and the Teams
// package built by the real script, unzipped and read back.

const ROOT = join(import.meta.dirname, '..', '..');
const SCHEMAS = join(ROOT, '..', 'shared', 'schemas');
const SLACK_MANIFEST = join(ROOT, 'manifest', 'slack', 'manifest.yaml');
const TEAMS_DIR = join(ROOT, 'manifest', 'teams');
const APP_ID = '3f2b8c1e-6d4a-4b9f-a1c7-5e0d9b2a7c64';
const PUBLIC_URL = 'https://fixpath.example.com';

type Json = Record<string, unknown>;

// CommonJS packages: under NodeNext their default import is `module.exports`, the export is `.default`.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

function validator(kind: 'slack' | 'teams') {
  const ajv =
    kind === 'slack'
      ? new Ajv({ strict: false, allErrors: true })
      : new AjvDraft04({ strict: false, allErrors: true });
  addFormats(ajv);
  const file = kind === 'slack' ? 'slack-app-manifest-1.0.0.schema.json' : 'teams-manifest-1.19.schema.json';
  const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, file), 'utf8')) as object);
  return (manifest: unknown) => {
    validate(manifest);
    return (validate.errors ?? []).map(
      (e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`,
    );
  };
}

describe('the Slack app manifest', () => {
  const manifest = parse(readFileSync(SLACK_MANIFEST, 'utf8')) as {
    display_information: Json;
    features: {
      app_home: Json;
      bot_user: Json;
      slash_commands: Json[];
      shortcuts: Json[];
    };
    oauth_config: { scopes: { bot: string[]; user?: string[] } };
    settings: { event_subscriptions: { bot_events: string[] } & Json; interactivity: Json } & Json;
  };
  const slackProblems = validator('slack');

  /** Every bot scope fixpath may ask for, and the feature that needs it. */
  const ALLOWED_SCOPES: Record<string, string> = {
    'app_mentions:read': 'app_mention events: someone mentions @fixpath',
    'channels:history': 'message.channels events: support-channel intake in public channels',
    'groups:history': 'message.groups events: support-channel intake in private channels',
    'im:history': 'message.im events: direct messages to fixpath',
    'chat:write': 'replies in threads and DMs, and chat.update on its own messages',
    commands: 'the /fixpath slash command and the message shortcut',
    'users:read': "users.info: the asker's name on the ticket",
  };
  /** The scope each event subscription needs before Slack delivers it (app_home_opened needs none). */
  const EVENT_SCOPES: Record<string, string | null> = {
    app_mention: 'app_mentions:read',
    'message.channels': 'channels:history',
    'message.groups': 'groups:history',
    'message.im': 'im:history',
    app_home_opened: null,
  };

  it("validates against Slack's manifest schema with no errors", () => {
    expect(slackProblems(manifest)).toEqual([]);
  });

  it('fails the schema check with an unknown top-level key or an over-long shortcut name', () => {
    expect(slackProblems({ ...manifest, permissions: ['admin'] }).join('\n')).toContain('permissions');
    const longShortcut = structuredClone(manifest);
    const [shortcut] = longShortcut.features.shortcuts;
    if (shortcut) shortcut.name = 'Troubleshoot this message for me';
    expect(slackProblems(longShortcut).join('\n')).toContain('/features/shortcuts/0/name');
  });

  it('names the bot fixpath and says what it does', () => {
    expect(manifest.display_information.name).toBe('fixpath');
    expect(manifest.features.bot_user.display_name).toBe('fixpath');
    expect(manifest.display_information.description).toBe(
      'Walks you through troubleshooting guides and files the ticket when the guide runs out.',
    );
  });

  it('runs in Socket Mode with interactivity on and no request URL to a host', () => {
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(JSON.stringify(manifest)).not.toMatch(/"(request_url|url)"/);
  });

  it('offers /fixpath with a usage hint and the "Troubleshoot this" message shortcut', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/fixpath', usage_hint: "[what's wrong]" }),
    ]);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({
        name: 'Troubleshoot this',
        type: 'message',
        callback_id: 'fixpath_troubleshoot',
      }),
    ]);
  });

  it('has a Home tab and a Messages tab users can write in', () => {
    expect(manifest.features.app_home).toEqual({
      home_tab_enabled: true,
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
  });

  it('subscribes to exactly the events fixpath handles', () => {
    expect([...manifest.settings.event_subscriptions.bot_events].sort()).toEqual(
      Object.keys(EVENT_SCOPES).sort(),
    );
  });

  it('asks only for allow-listed bot scopes, no user scopes, and every event and entry point has its scope', () => {
    const scopes = manifest.oauth_config.scopes.bot;
    expect(scopes.filter((scope) => !(scope in ALLOWED_SCOPES))).toEqual([]);
    expect(manifest.oauth_config.scopes.user ?? []).toEqual([]);
    const needed = [
      ...manifest.settings.event_subscriptions.bot_events.map((event) => EVENT_SCOPES[event] ?? null),
      'commands', // slash command and shortcut
      'chat:write',
      'users:read',
    ].filter((scope): scope is string => scope !== null);
    expect([...new Set(needed)].sort()).toEqual([...scopes].sort());
  });

  it('says beside each bot scope why fixpath needs it', () => {
    const document = parseDocument(readFileSync(SLACK_MANIFEST, 'utf8'));
    const scopes = document.getIn(['oauth_config', 'scopes', 'bot'], true);
    if (!isSeq(scopes)) throw new Error('oauth_config.scopes.bot is not a list');
    const unexplained = scopes.items.filter(
      (item) => !isScalar(item) || (item.comment ?? '').trim().length < 10,
    );
    expect(unexplained.map(String)).toEqual([]);
  });
});

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function packageTeams(args: string[], env: Record<string, string>): Run {
  const inherited = { ...process.env };
  delete inherited.MICROSOFT_APP_ID;
  delete inherited.FIXPATH_PUBLIC_URL;
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/package-teams.ts', ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...inherited, ...env },
  });
  if (run.error) throw run.error;
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function expectNoStackTrace(output: string): void {
  expect(output).not.toMatch(/\n\s+at /);
  expect(output).not.toMatch(/\w*Error:/);
}

interface Png {
  width: number;
  height: number;
  colourType: number;
  channels: number;
  pixels: Uint8Array;
}

/** Reads an 8-bit, non-interlaced PNG: checks the signature and every chunk's CRC, inflates and unfilters IDAT. */
function decodePng(bytes: Uint8Array): Png {
  const data = Buffer.from(bytes);
  expect([...data.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; body: Buffer }[] = [];
  for (let at = 8; at < data.length; ) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    const body = data.subarray(at + 8, at + 8 + length);
    expect(data.readUInt32BE(at + 8 + length), `CRC of ${type}`).toBe(
      crc32(data.subarray(at + 4, at + 8 + length)),
    );
    chunks.push({ type, body });
    at += 12 + length;
  }
  const header = chunks[0];
  if (header?.type !== 'IHDR') throw new Error('the first chunk is not IHDR');
  expect(chunks.at(-1)?.type).toBe('IEND');
  const [width, height] = [header.body.readUInt32BE(0), header.body.readUInt32BE(4)];
  const [bitDepth, colourType, , , interlace] = header.body.subarray(8);
  expect({ bitDepth, interlace }).toEqual({ bitDepth: 8, interlace: 0 });
  const channels = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 }[colourType as 0 | 2 | 3 | 4 | 6];
  if (channels === undefined) throw new Error(`unknown colour type ${colourType}`);

  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.body)));
  const stride = width * channels;
  expect(raw.length).toBe(height * (stride + 1));
  const pixels = new Uint8Array(height * stride);
  for (let row = 0; row < height; row += 1) {
    const filter = raw[row * (stride + 1)];
    for (let i = 0; i < stride; i += 1) {
      const byte = raw[row * (stride + 1) + 1 + i] ?? 0;
      const left = i >= channels ? (pixels[row * stride + i - channels] ?? 0) : 0;
      const up = row > 0 ? (pixels[(row - 1) * stride + i] ?? 0) : 0;
      const upLeft = row > 0 && i >= channels ? (pixels[(row - 1) * stride + i - channels] ?? 0) : 0;
      const paeth = () => {
        const p = left + up - upLeft;
        const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
        return pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft;
      };
      const predictor = [0, left, up, (left + up) >> 1, filter === 4 ? paeth() : 0][filter ?? 0];
      if (predictor === undefined) throw new Error(`unknown filter ${filter}`);
      pixels[row * stride + i] = (byte + predictor) & 0xff;
    }
  }
  return { width, height, colourType: colourType ?? -1, channels, pixels };
}

function pixelsOf(png: Png): number[][] {
  return Array.from({ length: png.width * png.height }, (_, i) => [
    ...png.pixels.subarray(i * png.channels, (i + 1) * png.channels),
  ]);
}

describe('the Teams app package', () => {
  const teamsProblems = validator('teams');
  let outDir: string;
  let run: Run;
  let files: Record<string, Uint8Array>;
  let manifest: Json & { bots: Json[]; developer: Json };

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'fixpath-teams-'));
    run = packageTeams(['--out-dir', outDir], { MICROSOFT_APP_ID: APP_ID, FIXPATH_PUBLIC_URL: PUBLIC_URL });
    const zip = join(outDir, 'fixpath-teams.zip');
    files = existsSync(zip) ? unzipSync(readFileSync(zip)) : {};
    const json = files['manifest.json'];
    manifest = json ? JSON.parse(strFromU8(json)) : {};
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it('is written where --out-dir says and holds exactly manifest.json, color.png and outline.png at its root', () => {
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`wrote ${join(outDir, 'fixpath-teams.zip')}\n`);
    expect(Object.keys(files).sort()).toEqual(['color.png', 'manifest.json', 'outline.png']);
  });

  it("holds a manifest that validates against Teams' 1.19 schema with no errors", () => {
    expect(manifest.manifestVersion).toBe('1.19');
    expect(manifest.$schema).toBe(
      'https://developer.microsoft.com/json-schemas/teams/v1.19/MicrosoftTeams.schema.json',
    );
    expect(teamsProblems(manifest)).toEqual([]);
  });

  it('fails the schema check with an unknown top-level key, another manifestVersion or placeholders left in', () => {
    expect(teamsProblems({ ...manifest, webhooks: [] }).join('\n')).toContain(
      '"additionalProperty":"webhooks"',
    );
    expect(teamsProblems({ ...manifest, manifestVersion: '1.18' }).join('\n')).toContain('/manifestVersion');
    const template = JSON.parse(readFileSync(join(TEAMS_DIR, 'manifest.json'), 'utf8')) as unknown;
    const unfilled = teamsProblems(template).map((problem) => problem.split(' ')[0]);
    expect(unfilled).toEqual(expect.arrayContaining(['/id', '/bots/0/botId', '/developer/websiteUrl']));
  });

  it('fills the app id and bot id from MICROSOFT_APP_ID and leaves no placeholder', () => {
    expect(manifest.id).toBe(APP_ID);
    expect(manifest.bots[0]?.botId).toBe(APP_ID);
    expect(JSON.stringify(manifest)).not.toContain('${{');
  });

  it('takes its version from package.json and its links and valid domain from FIXPATH_PUBLIC_URL', () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(manifest.version).toBe(version);
    expect(manifest.developer).toEqual({
      name: 'fixpath',
      websiteUrl: PUBLIC_URL,
      privacyUrl: `${PUBLIC_URL}/privacy`,
      termsOfUseUrl: `${PUBLIC_URL}/terms`,
    });
    expect(manifest.validDomains).toEqual(['fixpath.example.com']);
  });

  it('has one bot for personal, team and group chats, without files, listing its commands', () => {
    expect(manifest.bots).toHaveLength(1);
    const [bot] = manifest.bots as { scopes: string[]; supportsFiles: boolean; commandLists: Json[] }[];
    expect([...(bot?.scopes ?? [])].sort()).toEqual(['groupChat', 'personal', 'team']);
    expect(bot?.supportsFiles).toBe(false);
    const lists = (bot?.commandLists ?? []) as { scopes: string[]; commands: { title: string }[] }[];
    expect([...new Set(lists.flatMap((list) => list.scopes))].sort()).toEqual([
      'groupChat',
      'personal',
      'team',
    ]);
    for (const list of lists) {
      expect(list.commands.map((command) => command.title)).toEqual(
        expect.arrayContaining(['help', 'guides', 'start', 'restart', 'escalate']),
      );
    }
  });

  it('has a 192×192 full-colour, opaque colour icon', () => {
    const png = decodePng(files['color.png'] ?? new Uint8Array());
    expect({ width: png.width, height: png.height }).toEqual({ width: 192, height: 192 });
    expect([2, 6]).toContain(png.colourType);
    const pixels = pixelsOf(png);
    expect(pixels.every((p) => png.channels === 3 || p[3] === 255)).toBe(true);
    expect(new Set(pixels.map((p) => p.slice(0, 3).join())).size).toBeGreaterThan(2);
    expect(pixels.some(([r, g, b]) => r !== g || g !== b)).toBe(true);
  });

  it('has a 32×32 outline icon drawn in white on a transparent background', () => {
    const png = decodePng(files['outline.png'] ?? new Uint8Array());
    expect({ width: png.width, height: png.height, colourType: png.colourType }).toEqual({
      width: 32,
      height: 32,
      colourType: 6,
    });
    const pixels = pixelsOf(png);
    const transparent = pixels.filter((p) => p[3] === 0).length;
    expect(transparent).toBeGreaterThan(pixels.length / 2);
    expect(pixels.filter((p) => p[3] === 255).length).toBeGreaterThan(pixels.length / 10);
    expect(pixels.filter((p) => (p[3] ?? 0) > 0 && !(p[0] === 255 && p[1] === 255 && p[2] === 255))).toEqual(
      [],
    );
    for (const corner of [0, 31, 32 * 31, 32 * 32 - 1]) expect(pixels[corner]?.[3]).toBe(0);
  });

  it('ships the icons scripts/make-teams-icons.ts draws', () => {
    for (const [file, drawn] of [
      ['color.png', drawColorIcon()],
      ['outline.png', drawOutlineIcon()],
    ] as const) {
      const committed = decodePng(readFileSync(join(TEAMS_DIR, file)));
      expect({ width: committed.width, channels: committed.channels }, file).toEqual({
        width: drawn.width,
        channels: drawn.channels,
      });
      expect(Buffer.from(committed.pixels).equals(Buffer.from(drawn.pixels)), file).toBe(true);
      expect(Buffer.from(files[file] ?? []).equals(readFileSync(join(TEAMS_DIR, file))), file).toBe(true);
    }
  });
});

describe('scripts/package-teams.ts refusing to package', () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'fixpath-teams-'));
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const zip = () => join(outDir, 'fixpath-teams.zip');

  it('exits 2 without MICROSOFT_APP_ID, saying what to set, with no stack trace and no zip', () => {
    const run = packageTeams(['--out-dir', outDir], { FIXPATH_PUBLIC_URL: PUBLIC_URL });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^package-teams: MICROSOFT_APP_ID is not set.*--dev/);
    expectNoStackTrace(run.stderr);
    expect(existsSync(zip())).toBe(false);
  });

  it('exits 2 when MICROSOFT_APP_ID is not a GUID, even with --dev', () => {
    for (const args of [
      ['--out-dir', outDir],
      ['--dev', '--out-dir', outDir],
    ]) {
      const run = packageTeams(args, { MICROSOFT_APP_ID: 'my-bot', FIXPATH_PUBLIC_URL: PUBLIC_URL });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('MICROSOFT_APP_ID must be');
      expect(run.stderr).toContain('"my-bot"');
      expectNoStackTrace(run.stderr);
    }
    expect(existsSync(zip())).toBe(false);
  });

  it('exits 2 without FIXPATH_PUBLIC_URL, or with one that is not https', () => {
    for (const url of [undefined, 'http://fixpath.example.com']) {
      const run = packageTeams(['--out-dir', outDir], {
        MICROSOFT_APP_ID: APP_ID,
        ...(url === undefined ? {} : { FIXPATH_PUBLIC_URL: url }),
      });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('FIXPATH_PUBLIC_URL');
      expectNoStackTrace(run.stderr);
    }
    expect(existsSync(zip())).toBe(false);
  });

  it('packages with --dev and no environment, using the all-zero id and fixpath.invalid, and says so', () => {
    const devDir = join(outDir, 'dev');
    const run = packageTeams(['--dev', '--out-dir', devDir], {});
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('00000000-0000-0000-0000-000000000000');
    expect(run.stderr).toContain('https://fixpath.invalid');
    const files = unzipSync(readFileSync(join(devDir, 'fixpath-teams.zip')));
    const manifest = JSON.parse(strFromU8(files['manifest.json'] ?? new Uint8Array())) as Json & {
      bots: Json[];
    };
    expect(manifest.id).toBe('00000000-0000-0000-0000-000000000000');
    expect(manifest.bots[0]?.botId).toBe('00000000-0000-0000-0000-000000000000');
    expect(manifest.validDomains).toEqual(['fixpath.invalid']);
  });

  it('exits 1 and names the key when the manifest fails the schema', () => {
    const broken = join(outDir, 'broken');
    cpSync(join(ROOT, 'manifest', 'teams'), broken, { recursive: true });
    const template = JSON.parse(readFileSync(join(broken, 'manifest.json'), 'utf8')) as Json;
    writeFileSync(join(broken, 'manifest.json'), JSON.stringify({ ...template, webhooks: [] }));
    const run = packageTeams(['--manifest-dir', broken, '--out-dir', outDir], {
      MICROSOFT_APP_ID: APP_ID,
      FIXPATH_PUBLIC_URL: PUBLIC_URL,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('manifest.json/: must NOT have additional properties (webhooks)');
    expectNoStackTrace(run.stderr);
    expect(existsSync(zip())).toBe(false);
  });

  it('exits 1 when an icon has the wrong size or no transparency', () => {
    const swapped = join(outDir, 'swapped');
    cpSync(join(ROOT, 'manifest', 'teams'), swapped, { recursive: true });
    cpSync(join(swapped, 'color.png'), join(swapped, 'outline.png'));
    const run = packageTeams(['--manifest-dir', swapped, '--out-dir', outDir], {
      MICROSOFT_APP_ID: APP_ID,
      FIXPATH_PUBLIC_URL: PUBLIC_URL,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('outline.png: is 192×192, Teams needs 32×32');
    expect(run.stderr).toContain('outline.png: needs an alpha channel');
    expect(existsSync(zip())).toBe(false);
  });
});
