import { createServer, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

/** One request as the fake received it. */
export interface ReceivedRequest {
  method: string;
  /** Path and query, e.g. `/repos/acme/support/issues?state=all`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body, exactly as it arrived. */
  body: string;
}

export interface FakeReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (for timeouts). */
  delayMs?: number;
}

export type FakeHandler = (request: ReceivedRequest) => FakeReply | Promise<FakeReply>;

/**
 * An HTTP service on 127.0.0.1 that records every request and answers through a handler: the far
 * side of a sink (GitHub, Jira, a webhook receiver). `failNext` queues answers that come before the
 * handler's, such as a 500 or a 429 with Retry-After.
 */
export class FakeHttpService {
  readonly requests: ReceivedRequest[] = [];
  readonly #handler: FakeHandler;
  readonly #queued: Array<{ match: (r: ReceivedRequest) => boolean; reply: FakeReply }> = [];
  #server: Server | undefined;

  constructor(handler: FakeHandler) {
    this.#handler = handler;
  }

  async start(): Promise<string> {
    this.#server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const request: ReceivedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      this.requests.push(request);
      const queued = this.#queued.findIndex((q) => q.match(request));
      const reply =
        queued >= 0 ? (this.#queued.splice(queued, 1)[0]?.reply ?? {}) : await this.#handler(request);
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      if (res.destroyed) return;
      const json = reply.body !== undefined && typeof reply.body !== 'string';
      res.writeHead(reply.status ?? 200, {
        ...(json ? { 'content-type': 'application/json' } : {}),
        ...reply.headers,
      });
      res.end(json ? JSON.stringify(reply.body) : ((reply.body as string | undefined) ?? ''));
    });
    return listenOnLoopback(this.#server);
  }

  async stop(): Promise<void> {
    await closeServer(this.#server);
  }

  /** Answers the next `count` requests that `match` with `reply`, before the handler sees them. */
  failNext(count: number, reply: FakeReply, match: (r: ReceivedRequest) => boolean = () => true): void {
    for (let i = 0; i < count; i++) this.#queued.push({ match, reply });
  }

  of(method: string, path: RegExp): ReceivedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.url));
  }
}
