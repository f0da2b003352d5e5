import { readFile } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { sendBytes, sendText } from './send-response.ts';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** The playground's own files, served from `assets/` beside this module: a fixed list, nothing else. */
const OWN = new Map<string, string>(
  Object.entries({
    'index.html': 'text/html; charset=utf-8',
    'playground.js': JS,
    'api.js': JS,
    'dom.js': JS,
    'slack-mrkdwn.js': JS,
    'slack-preview.js': JS,
    'slack-modal.js': JS,
    'teams-card.js': JS,
    'teams-markdown.js': JS,
    'diagram.js': JS,
    'ticket-panel.js': JS,
    'playground.css': CSS,
    'teams.css': CSS,
    'slack.css': CSS,
  }),
);

/**
 * Browser bundles from installed packages: the official Adaptive Cards renderer (the `adaptivecards`
 * package, the renderer Microsoft publishes for HTML hosts) and Mermaid.
 */
const VENDOR = new Map<string, { module: string; type: string }>(
  Object.entries({
    'vendor/adaptivecards.min.js': { module: 'adaptivecards/dist/adaptivecards.min.js', type: JS },
    'vendor/mermaid.min.js': { module: 'mermaid/dist/mermaid.min.js', type: JS },
  }),
);

export type AssetServer = (name: string, res: ServerResponse) => Promise<boolean>;

/**
 * Serves `name` (e.g. `playground.js`, `vendor/mermaid.min.js`), read once and kept; the function
 * resolves false when `name` is not a playground asset.
 */
export function createAssetServer(): AssetServer {
  const cache = new Map<string, Buffer>();
  const load = async (name: string, pathOf: () => string): Promise<Buffer> => {
    const cached = cache.get(name);
    if (cached) return cached;
    const bytes = await readFile(pathOf());
    cache.set(name, bytes);
    return bytes;
  };
  return (name, res) => serve(name, res, load);
}

async function serve(
  name: string,
  res: ServerResponse,
  load: (name: string, pathOf: () => string) => Promise<Buffer>,
): Promise<boolean> {
  const own = OWN.get(name);
  if (own) {
    sendBytes(res, await load(name, () => fileURLToPath(new URL(`./assets/${name}`, import.meta.url))), own, {
      page: name === 'index.html',
    });
    return true;
  }
  const vendor = VENDOR.get(name);
  if (!vendor) return false;
  let path: string;
  try {
    path = fileURLToPath(import.meta.resolve(vendor.module));
  } catch {
    const pkg = vendor.module.split('/')[0] ?? vendor.module;
    sendText(res, 503, `${pkg} is not installed, so the playground cannot load it. Run npm ci.\n`);
    return true;
  }
  sendBytes(res, await load(name, () => path), vendor.type, { cache: 'public, max-age=3600' });
  return true;
}
