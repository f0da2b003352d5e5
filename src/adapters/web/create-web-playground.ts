import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isFixpathError } from '../../errors.ts';
import { toMermaid } from '../../flow/to-mermaid.ts';
import type { Actor } from '../../machine/flow-context.ts';
import { matchGuides } from '../../runtime/match-guides.ts';
import { createAssetServer } from './create-asset-server.ts';
import { readJsonBody } from './read-json-body.ts';
import { readTurnRequest } from './read-turn-request.ts';
import { runWebTurn } from './run-web-turn.ts';
import { sendError, sendJson, sendText } from './send-response.ts';
import type { WebPlaygroundDeps } from './web-playground-deps.ts';

export interface WebPlayground {
  /** Serves the playground's paths and answers true; false for any other path, left to the caller. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
}

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];
const DEFAULT_ACTOR: Actor = { id: 'playground', name: 'Playground user' };
const CONVERSATION =
  /^\/api\/conversations\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(\/events)?$/;
const GRAPH = /^\/api\/guides\/([^/]{1,100})\/graph$/;
const MAX_QUERY = 500;

/** A conversation's store key: the playground only ever drives its own conversations. */
export const webConversationKey = (id: string): string => `web:${id}`;

/**
 * The web playground, fixpath's third surface: a page that draws each step as Teams and as Slack would
 * show it, side by side, both clickable and driving one conversation on the real engine and store, with
 * the guide's diagram beside it. Local only: it answers loopback host names alone and has no login.
 *
 * - `GET /` the page; `GET /assets/…` its scripts and styles, the Adaptive Cards renderer and Mermaid
 * - `GET /api/guides`, `GET /api/guides/match?q=`, `GET /api/guides/:id/graph?current=`
 * - `POST /api/conversations` `{ flowId }` starts a guide; `GET /api/conversations/:id` shows where it is
 * - `POST /api/conversations/:id/events` applies an event (see `readTurnRequest`)
 */
export function createWebPlayground(deps: WebPlaygroundDeps): WebPlayground {
  const { engine, logger } = deps;
  const serveAsset = createAssetServer();
  const hosts = new Set((deps.allowedHosts ?? LOOPBACK).map((h) => h.toLowerCase()));
  const actor = deps.actor ?? DEFAULT_ACTOR;
  const newId = deps.newId ?? randomUUID;

  const definitions = () => engine.flows.list().map((flow) => flow.definition);

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const { pathname: path } = url;
    const method = req.method ?? 'GET';
    const allow = (...methods: string[]) => {
      if (methods.includes(method) || (method === 'HEAD' && methods.includes('GET'))) return true;
      res.setHeader('allow', methods.join(', '));
      sendError(res, 405, 'method_not_allowed', `${path} answers ${methods.join(' and ')}`);
      return false;
    };

    if (path === '/') {
      if (allow('GET')) await serveAsset('index.html', res);
      return;
    }
    if (path.startsWith('/assets/')) {
      if (!allow('GET')) return;
      const name = path.slice('/assets/'.length);
      if (name === 'index.html' || !(await serveAsset(name, res))) sendText(res, 404, 'not found\n');
      return;
    }
    if (path === '/api/guides') {
      if (!allow('GET')) return;
      const guides = definitions()
        .map((d) => ({
          id: d.id,
          title: d.title,
          summary: d.summary,
          version: d.version,
          steps: d.steps.length,
        }))
        .sort((a, b) => a.title.localeCompare(b.title));
      return sendJson(res, 200, { guides });
    }
    if (path === '/api/guides/match') {
      if (!allow('GET')) return;
      const q = (url.searchParams.get('q') ?? '').slice(0, MAX_QUERY);
      return sendJson(res, 200, { matches: q.trim() === '' ? [] : matchGuides(definitions(), q, 5) });
    }
    const graph = GRAPH.exec(path);
    if (graph) {
      if (!allow('GET')) return;
      const flow = engine.flows.find(safeDecode(graph[1] ?? ''));
      if (!flow) return sendError(res, 404, 'flow_not_found', 'no guide has that id');
      const current = url.searchParams.get('current') ?? undefined;
      if (current !== undefined && !flow.steps.has(current))
        return sendError(res, 400, 'unknown_step', 'the guide has no step with that id');
      return sendText(res, 200, toMermaid(flow.definition, current === undefined ? {} : { current }));
    }
    if (path === '/api/conversations') {
      if (!allow('POST') || !sameOrigin(req, res)) return;
      const body = await readJsonBody(req);
      if (!body.ok) return sendError(res, body.status, 'bad_request', body.message);
      const flowId = (body.value as { flowId?: unknown } | null)?.flowId;
      if (typeof flowId !== 'string' || flowId === '')
        return sendError(res, 400, 'bad_request', 'send { "flowId": "<guide id>" }');
      const id = newId();
      const input = { key: webConversationKey(id), event: { type: 'start' as const, flowId }, actor };
      return sendJson(res, 201, await runWebTurn(deps, id, input));
    }
    const conversation = CONVERSATION.exec(path);
    if (conversation) {
      const id = conversation[1] ?? '';
      const key = webConversationKey(id);
      if (!conversation[2]) {
        if (!allow('GET')) return;
        return sendJson(res, 200, await runWebTurn(deps, id, { key, event: { type: 'show' }, actor }));
      }
      if (!allow('POST') || !sameOrigin(req, res)) return;
      const body = await readJsonBody(req);
      if (!body.ok) return sendError(res, body.status, 'bad_request', body.message);
      const request = readTurnRequest(body.value, deps);
      if (!request.ok) return sendError(res, 400, 'bad_request', request.message);
      const { event, revision, conversationId, flowId, openSlackModal } = request;
      const input = {
        key,
        event,
        actor,
        ...(revision === undefined ? {} : { revision }),
        ...(conversationId === undefined ? {} : { conversationId }),
        ...(flowId === undefined ? {} : { flowId }),
      };
      return sendJson(
        res,
        200,
        await runWebTurn(deps, id, input, { openSlackModal: openSlackModal === true }),
      );
    }
    sendError(res, 404, 'not_found', 'no such playground path');
  }

  /** A browser sends `Origin` on every cross-site request; it must name this very host. */
  function sameOrigin(req: IncomingMessage, res: ServerResponse): boolean {
    const origin = req.headers.origin;
    if (origin === undefined || origin === `http://${req.headers.host}`) return true;
    sendError(res, 403, 'forbidden', 'requests from other sites are refused');
    return false;
  }

  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://playground.invalid');
      if (!isPlaygroundPath(url.pathname)) return false;
      const host = hostName(req.headers.host);
      if (host === undefined || !hosts.has(host)) {
        sendError(res, 403, 'forbidden', 'the playground answers on localhost only');
        return true;
      }
      route(req, res, url).catch((err: unknown) => {
        const status = isFixpathError(err, 'flow_not_found')
          ? 404
          : isFixpathError(err, 'store_unavailable')
            ? 503
            : 500;
        if (status === 500) logger.error({ err, path: url.pathname }, 'playground request failed');
        const code = isFixpathError(err) ? err.code : 'internal';
        const message =
          status === 500 ? 'something went wrong on our side; nothing changed' : (err as Error).message;
        if (!res.headersSent) sendError(res, status, code, message);
        else res.destroy();
      });
      return true;
    },
  };
}

function isPlaygroundPath(path: string): boolean {
  return (
    path === '/' ||
    path.startsWith('/assets/') ||
    path === '/api/guides' ||
    path.startsWith('/api/guides/') ||
    path === '/api/conversations' ||
    path.startsWith('/api/conversations/')
  );
}

/** The host name of a Host header, lower-cased and without its port: `localhost`, `127.0.0.1`, `[::1]`. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^(\[[0-9a-f:.]+\]|[^:]+)(?::\d{1,5})?$/i.exec(header.trim());
  return match?.[1]?.toLowerCase();
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return '';
  }
}
