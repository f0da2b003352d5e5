import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type Server,
  type ServerResponse,
} from 'node:http';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

export interface ProxiedRequest {
  /** What `routeKey` said the request belongs to (e.g. a conversation), if anything. */
  key: string | undefined;
  /** The upstream that answered (or failed), by its index in the order they were added; -1 when none was up. */
  upstream: number;
  /** The status the client got; 502 when the upstream failed mid-request, 503 when none was up. */
  status: number;
  /** How many upstreams were in the rotation when the request was answered. */
  up: number;
}

export interface RoundRobinProxyOptions {
  /**
   * What a request belongs to, read from its raw body. Requests with the same key go to a different
   * upstream than the previous one with that key whenever another is up; requests without one take turns.
   */
  routeKey?: (body: Buffer, headers: IncomingHttpHeaders) => string | undefined;
}

interface Upstream {
  url: URL;
  up: boolean;
}

/**
 * A load balancer on loopback: forwards each request, byte for byte (so signatures over the body stay
 * valid), to the next upstream that is up. An upstream that refuses a connection is dropped from the
 * rotation and the request goes to the next one (it never reached the dropped one); an upstream that
 * dies mid-request answers that request with 502, as a real load balancer would.
 */
export class RoundRobinProxy {
  readonly log: ProxiedRequest[] = [];
  readonly #upstreams: Upstream[] = [];
  readonly #lastByKey = new Map<string, number>();
  readonly #routeKey: RoundRobinProxyOptions['routeKey'];
  #turn = 0;
  #server: Server | undefined;
  #held = false;

  constructor(upstreams: readonly string[], options: RoundRobinProxyOptions = {}) {
    for (const url of upstreams) this.add(url);
    this.#routeKey = options.routeKey;
  }

  async start(): Promise<string> {
    const server = createServer((req, res) => void this.#handle(req, res));
    server.keepAliveTimeout = 60_000;
    this.#server = server;
    return listenOnLoopback(server);
  }

  async stop(): Promise<void> {
    await closeServer(this.#server);
  }

  /** Puts an upstream into the rotation (a replacement for one that died, say); returns its index. */
  add(url: string): number {
    this.#upstreams.push({ url: new URL(url), up: true });
    return this.#upstreams.length - 1;
  }

  /**
   * Holds every request from now on, as a stalled network would: none reaches an upstream again, and
   * each waits until its client gives up or goes away, or the proxy stops.
   */
  hold(): void {
    this.#held = true;
  }

  /** Indexes of the upstreams still in the rotation. */
  up(): number[] {
    return this.#upstreams.flatMap((u, i) => (u.up ? [i] : []));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (this.#held) return;
    const key = this.#routeKey?.(body, req.headers);
    const tried = new Set<number>();
    for (;;) {
      const up = this.up().filter((i) => !tried.has(i));
      const index = this.#pick(up, key);
      if (index === undefined) {
        this.log.push({ key, upstream: -1, status: 503, up: 0 });
        res.writeHead(503, { 'content-type': 'text/plain' }).end('no upstream is up\n');
        return;
      }
      tried.add(index);
      const outcome = await this.#forward(index, req, body, res);
      if (outcome === 'refused') {
        const upstream = this.#upstreams[index];
        if (upstream) upstream.up = false;
        continue;
      }
      if (key !== undefined) this.#lastByKey.set(key, index);
      this.log.push({ key, upstream: index, status: outcome, up: this.up().length });
      return;
    }
  }

  /** The next upstream for a request: another one than this key's last, or the next in turn. */
  #pick(up: number[], key: string | undefined): number | undefined {
    if (up.length === 0) return undefined;
    const last = key === undefined ? undefined : this.#lastByKey.get(key);
    if (last !== undefined) {
      const after = up.find((i) => i > last) ?? up.find((i) => i !== last);
      return after ?? up[0];
    }
    return up[this.#turn++ % up.length];
  }

  /** Sends the request to one upstream; resolves with the status relayed, or 'refused'. */
  #forward(
    index: number,
    req: IncomingMessage,
    body: Buffer,
    res: ServerResponse,
  ): Promise<number | 'refused'> {
    const target = this.#upstreams[index]?.url;
    if (!target) return Promise.resolve('refused');
    return new Promise((resolve) => {
      const headers = { ...req.headers, host: target.host, connection: 'close' };
      const upstream = request(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers,
          agent: false,
        },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
          reply.once('error', () => res.destroy());
          reply.once('end', () => resolve(reply.statusCode ?? 502));
        },
      );
      upstream.once('error', (err: NodeJS.ErrnoException) => {
        if (err.code === 'ECONNREFUSED') return resolve('refused');
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end('upstream failed\n');
        else res.destroy();
        resolve(502);
      });
      upstream.end(body);
    });
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}
