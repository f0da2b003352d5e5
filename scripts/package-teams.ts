// Builds the Teams app package: fills the placeholders in manifest/teams/manifest.json, checks the
// result against the official manifest schema and the icons' sizes, and zips manifest.json,
// color.png and outline.png at the root of dist/fixpath-teams.zip, ready to upload to Teams.
//
//   node --import tsx scripts/package-teams.ts [--dev] [--out-dir <dir>] [--manifest-dir <dir>] [--schema <file>]
//
// MICROSOFT_APP_ID     the bot's Microsoft App ID (a GUID): the app id and the bot id. Required.
// FIXPATH_PUBLIC_URL   https URL fixpath is reached at; the developer links and validDomains come
//                      from it. Required.
// --dev                no MICROSOFT_APP_ID: use the all-zero app id; no FIXPATH_PUBLIC_URL: use
//                      https://fixpath.invalid. Both are announced; such a package cannot reach a bot.
// Exit codes: 0 written, 1 the manifest or an icon fails its checks, 2 bad options or environment.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { strToU8, zipSync } from 'fflate';
import { FixpathError, isFixpathError } from '../src/errors.ts';

// Both packages are CommonJS: under NodeNext their default import is `module.exports`, the class is `.default`.
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;
const ROOT = join(import.meta.dirname, '..');
const PACKAGE_NAME = 'fixpath-teams.zip';
const DEV_APP_ID = '00000000-0000-0000-0000-000000000000';
const DEV_PUBLIC_URL = 'https://fixpath.invalid';
const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const PLACEHOLDER = /\$\{\{([A-Z0-9_]+)\}\}/g;
/** The official schema beside the repository, else the one the manifest's `$schema` names is downloaded. */
const LOCAL_SCHEMA = join(ROOT, '..', 'shared', 'schemas', 'teams-manifest-1.19.schema.json');
const USAGE =
  'usage: node --import tsx scripts/package-teams.ts [--dev] [--out-dir <dir>] [--manifest-dir <dir>] [--schema <file>]';
const ICONS = { 'color.png': { size: 192, alpha: false }, 'outline.png': { size: 32, alpha: true } } as const;

interface Options {
  dev: boolean;
  outDir: string;
  manifestDir: string;
  schema: string | undefined;
}

function readOptions(argv: string[]): Options {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    throw new FixpathError('usage', (err as Error).message, { cause: err });
  }
  return {
    dev: values.dev ?? false,
    outDir: resolve(values['out-dir'] ?? join(ROOT, 'dist')),
    manifestDir: resolve(values['manifest-dir'] ?? join(ROOT, 'manifest', 'teams')),
    schema: values.schema,
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      dev: { type: 'boolean' },
      'out-dir': { type: 'string' },
      'manifest-dir': { type: 'string' },
      schema: { type: 'string' },
    },
  });
}

/** The values the manifest's `${{NAME}}` placeholders take, checked; notices say what --dev stood in for. */
function placeholderValues(
  env: Record<string, string | undefined>,
  dev: boolean,
  version: string,
): { values: Record<string, string>; notices: string[] } {
  const notices: string[] = [];
  const appId = env.MICROSOFT_APP_ID?.trim() || undefined;
  if (appId !== undefined && !GUID.test(appId)) {
    throw new FixpathError(
      'config_invalid',
      `MICROSOFT_APP_ID must be the bot's Microsoft App ID, a GUID like 12345678-abcd-4ef0-9876-0123456789ab; got "${appId}"`,
    );
  }
  if (appId === undefined && !dev) {
    throw new FixpathError(
      'config_invalid',
      "MICROSOFT_APP_ID is not set: set it to the bot's Microsoft App ID (a GUID), or pass --dev for a package with the all-zero id",
    );
  }
  if (appId === undefined)
    notices.push(`--dev: MICROSOFT_APP_ID is not set, using the all-zero app id ${DEV_APP_ID}`);

  const rawUrl = env.FIXPATH_PUBLIC_URL?.trim() || undefined;
  if (rawUrl === undefined && !dev) {
    throw new FixpathError(
      'config_invalid',
      'FIXPATH_PUBLIC_URL is not set: set it to the https URL fixpath is reached at, or pass --dev',
    );
  }
  if (rawUrl === undefined) notices.push(`--dev: FIXPATH_PUBLIC_URL is not set, using ${DEV_PUBLIC_URL}`);
  const url = publicUrl(rawUrl ?? DEV_PUBLIC_URL);

  if (!/^\d+\.\d+\.\d+$/.test(version)) {
    throw new FixpathError(
      'config_invalid',
      `package.json version "${version}" must be major.minor.patch for a Teams app`,
    );
  }
  return {
    values: {
      MICROSOFT_APP_ID: (appId ?? DEV_APP_ID).toLowerCase(),
      FIXPATH_VERSION: version,
      FIXPATH_PUBLIC_URL: url.href.replace(/\/$/, ''),
      FIXPATH_PUBLIC_HOST: url.host,
    },
    notices,
  };
}

function publicUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (err) {
    throw new FixpathError('config_invalid', `FIXPATH_PUBLIC_URL is not a URL: "${raw}"`, { cause: err });
  }
  if (url.protocol !== 'https:' || url.search !== '' || url.hash !== '' || url.username !== '') {
    throw new FixpathError(
      'config_invalid',
      `FIXPATH_PUBLIC_URL must be a plain https URL such as https://fixpath.example.com; got "${raw}"`,
    );
  }
  return url;
}

/** Replaces every `${{NAME}}` in the template's strings; a name without a value is an error. */
function fillTeamsManifest(template: unknown, values: Record<string, string>): unknown {
  const fill = (node: unknown): unknown => {
    if (typeof node === 'string') {
      return node.replace(PLACEHOLDER, (_, name: string) => {
        const value = values[name];
        if (value === undefined) {
          throw new FixpathError('config_invalid', `manifest.json uses \${{${name}}}, which has no value`);
        }
        return value;
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, fill(value)]));
    }
    return node;
  };
  return fill(template);
}

async function loadSchema(manifest: unknown, file: string | undefined): Promise<object> {
  const path = file ?? (existsSync(LOCAL_SCHEMA) ? LOCAL_SCHEMA : undefined);
  if (path !== undefined) return readJson(path, 'the schema');
  const url = (manifest as { $schema?: unknown }).$schema;
  if (typeof url !== 'string') {
    throw new FixpathError(
      'config_invalid',
      'manifest.json has no $schema to validate against; pass --schema',
    );
  }
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return (await response.json()) as object;
  } catch (err) {
    throw new FixpathError(
      'config_invalid',
      `could not download the manifest schema from ${url} (${(err as Error).message}); pass --schema <file>`,
      { cause: err },
    );
  }
}

/** The schema's complaints, one line each, or none. */
function schemaProblems(schema: object, manifest: unknown): string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map((error) => {
    const extra =
      error.keyword === 'additionalProperties' ? ` (${String(error.params.additionalProperty)})` : '';
    return `manifest.json${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
  });
}

/** Teams wants a 192×192 colour icon and a 32×32 outline icon with an alpha channel. */
function iconProblems(name: keyof typeof ICONS, png: Uint8Array): string[] {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  const view = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  if (
    png.length < 33 ||
    signature.some((byte, i) => png[i] !== byte) ||
    view.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    return [`${name}: not a PNG`];
  }
  const [width, height, colourType] = [view.readUInt32BE(16), view.readUInt32BE(20), png[25]];
  const want = ICONS[name];
  const problems: string[] = [];
  if (width !== want.size || height !== want.size) {
    problems.push(`${name}: is ${width}×${height}, Teams needs ${want.size}×${want.size}`);
  }
  if (want.alpha && colourType !== 4 && colourType !== 6) {
    problems.push(`${name}: needs an alpha channel (a transparent background)`);
  }
  return problems;
}

function readJson(path: string, what: string): object {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as object;
  } catch (err) {
    throw new FixpathError('config_invalid', `cannot read ${what} at ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

function readBytes(path: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new FixpathError('config_invalid', `cannot read ${path}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

type Outcome = { written: string } | { problems: string[] };

/** Writes the package, or says why not; bad options or environment throw a FixpathError. */
async function packageTeams(argv: string[], env: Record<string, string | undefined>): Promise<Outcome> {
  const options = readOptions(argv);
  const { version } = readJson(join(ROOT, 'package.json'), 'package.json') as { version: string };
  const { values, notices } = placeholderValues(env, options.dev, version);
  for (const notice of notices) process.stderr.write(`${notice}\n`);

  const template = readJson(join(options.manifestDir, 'manifest.json'), 'manifest.json');
  const manifest = fillTeamsManifest(template, values);
  const icons = {
    'color.png': readBytes(join(options.manifestDir, 'color.png')),
    'outline.png': readBytes(join(options.manifestDir, 'outline.png')),
  };
  const problems = [
    ...schemaProblems(await loadSchema(manifest, options.schema), manifest),
    ...iconProblems('color.png', icons['color.png']),
    ...iconProblems('outline.png', icons['outline.png']),
  ];
  if (problems.length > 0) return { problems };

  const zip = zipSync(
    { 'manifest.json': strToU8(`${JSON.stringify(manifest, null, 2)}\n`), ...icons },
    { level: 9, mtime: new Date(2000, 0, 1) },
  );
  mkdirSync(options.outDir, { recursive: true });
  const written = join(options.outDir, PACKAGE_NAME);
  writeFileSync(written, zip);
  return { written };
}

async function main(): Promise<number> {
  try {
    const outcome = await packageTeams(process.argv.slice(2), process.env);
    if ('problems' in outcome) {
      process.stderr.write(
        `package-teams: the package fails its checks:\n  ${outcome.problems.join('\n  ')}\n`,
      );
      return 1;
    }
    const shown = relative(process.cwd(), outcome.written);
    process.stdout.write(`wrote ${shown.startsWith('..') ? outcome.written : shown}\n`);
    return 0;
  } catch (err) {
    const known = isFixpathError(err);
    const message = err instanceof Error ? err.message : String(err);
    const usage = isFixpathError(err, 'usage') ? `\n${USAGE}` : '';
    process.stderr.write(`package-teams: ${known ? '' : 'unexpected error: '}${message}${usage}\n`);
    return 2;
  }
}

process.exitCode = await main();
