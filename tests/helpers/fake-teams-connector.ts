import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

export interface ConnectorCall {
  method: 'POST' | 'PUT' | string;
  /** The path after the service URL's own, e.g. `/v3/conversations/a%3A1/activities`. */
  path: string;
  /** The conversation addressed, decoded (a channel's reply chain keeps its `;messageid=`). */
  conversationId: string;
  /** For a reply or an update: the activity in the path. */
  activityId: string | undefined;
  body: Record<string, unknown>;
  authorization: string | undefined;
  /** When the call arrived (Date.now()). */
  at: number;
  status: number;
  /** The id the fake gave the activity (a POST), or the updated one (a PUT). */
  id: string | undefined;
}

type Reply = { status: number; headers?: Record<string, string>; body?: Record<string, unknown> };

/**
 * The Bot Framework connector at an activity's `serviceUrl`, faked on 127.0.0.1: the only part of
 * Teams a test cannot run. It records `POST /v3/conversations/{id}/activities` (send),
 * `POST …/activities/{replyToId}` (reply) and `PUT …/activities/{id}` (update) with their bodies, and
 * answers like the connector (201 or 200 with the activity id), unless a test queued another answer.
 */
export class FakeTeamsConnector {
  readonly calls: ConnectorCall[] = [];
  readonly #queued: Reply[] = [];
  #server: Server | undefined;
  #next = 1_772_442_000_000;
  #prefix = '/teams/';

  /** Starts listening and returns the service URL to put in activities. */
  async start(): Promise<string> {
    this.#server = createServer(async (req, res) => {
      const raw = await readBody(req);
      const path = (req.url ?? '').slice(this.#prefix.length - 1);
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?$/.exec(path);
      const body = raw === '' ? {} : (JSON.parse(raw) as Record<string, unknown>);
      const queued = this.#queued.shift();
      const reply: Reply =
        queued ?? (match ? this.#answer(req.method ?? '', match[2]) : { status: 404, body: {} });
      this.calls.push({
        method: req.method ?? '',
        path,
        conversationId: decodeURIComponent(match?.[1] ?? ''),
        activityId: match?.[2] === undefined ? undefined : decodeURIComponent(match[2]),
        body,
        authorization: req.headers.authorization,
        at: Date.now(),
        status: reply.status,
        id: typeof reply.body?.id === 'string' ? reply.body.id : undefined,
      });
      res.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8', ...reply.headers });
      res.end(JSON.stringify(reply.body ?? {}));
    });
    const url = await listenOnLoopback(this.#server);
    return `${url}${this.#prefix}`;
  }

  async stop(): Promise<void> {
    await closeServer(this.#server);
  }

  /** Makes the next call (of any kind) answer with this instead, e.g. a 429 with Retry-After. */
  queue(reply: Reply): void {
    this.#queued.push(reply);
  }

  /** Calls that post a new activity (send or reply) and got an id. */
  posts(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'POST' && c.status < 300);
  }

  updates(): ConnectorCall[] {
    return this.calls.filter((c) => c.method === 'PUT' && c.status < 300);
  }

  /** Forgets the calls so far, so a test step can assert exactly what it caused. */
  clear(): void {
    this.calls.length = 0;
  }

  #answer(method: string, activityId: string | undefined): Reply {
    if (method === 'POST') return { status: 201, body: { id: String(this.#next++) } };
    if (method === 'PUT' && activityId !== undefined)
      return { status: 200, body: { id: decodeURIComponent(activityId) } };
    return { status: 405, body: {} };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
