import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Request, Response } from 'botbuilder';
import type { Logger } from '../../logger.ts';

/** Bigger than any activity fixpath's cards can cause (form data is capped at 100 KB). */
export const MAX_ACTIVITY_BYTES = 512 * 1024;

/**
 * `/api/messages` on fixpath's own node:http server. botbuilder's CloudAdapter expects an Express-like
 * request with a parsed `body` and a response with `status`/`header`/`send`/`end`; this reads the JSON
 * (with a size cap) and gives it both. What is not an activity is refused here, plainly: 405 for
 * another method, 415 for another content type, 413 when too big, 400 for bad JSON.
 */
export function createTeamsHttpListener(
  handle: (req: Request, res: Response) => Promise<void>,
  logger: Logger,
): RequestListener {
  return (req, res) => {
    serve(req, res, handle).catch((err: unknown) => {
      logger.error({ err, platform: 'teams' }, 'Teams request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error\n');
    });
  };
}

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (req: Request, res: Response) => Promise<void>,
): Promise<void> {
  if (req.method !== 'POST')
    return refuse(req, res, 405, 'POST Bot Framework activities here\n', { allow: 'POST' });
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') return refuse(req, res, 415, 'expected application/json\n');
  if (Number(req.headers['content-length']) > MAX_ACTIVITY_BYTES) return tooLarge(req, res);
  const raw = await readBody(req, MAX_ACTIVITY_BYTES);
  if (raw === undefined) return tooLarge(req, res);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return refuse(req, res, 400, 'the body is not JSON\n');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return refuse(req, res, 400, 'the body is not an activity\n');
  }
  await handle(
    { method: 'POST', headers: req.headers, body: body as Record<string, unknown> },
    botResponse(res),
  );
}

/** The body as text, or undefined once it passes `max` bytes (the rest is drained and dropped). */
function readBody(req: IncomingMessage, max: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        chunks.length = 0;
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function tooLarge(req: IncomingMessage, res: ServerResponse): void {
  refuse(req, res, 413, `activities are limited to ${MAX_ACTIVITY_BYTES} bytes\n`, { connection: 'close' });
}

function refuse(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  req.resume();
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(message);
}

/** The response botbuilder writes to: it sets a status, maybe a body, then ends. */
function botResponse(res: ServerResponse): Response {
  let status = 200;
  let body: unknown;
  const headers: Record<string, string> = {};
  return {
    socket: res.socket,
    status(code: number) {
      status = code;
    },
    header(name: string, value: unknown) {
      headers[name.toLowerCase()] = String(value);
    },
    send(value: unknown) {
      body = value;
    },
    end() {
      if (res.headersSent) return;
      if (body === undefined || body === null) {
        res.writeHead(status, headers).end();
        return;
      }
      const json = typeof body !== 'string';
      res
        .writeHead(status, {
          'content-type': json ? 'application/json; charset=utf-8' : 'text/plain; charset=utf-8',
          ...headers,
        })
        .end(json ? JSON.stringify(body) : body);
    },
  };
}
