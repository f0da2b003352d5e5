import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Slack's Web API, faked on loopback for the benchmarks: answers like Slack and, unlike the tests'
 * fake, keeps nothing but counts, so a long run costs no memory. A load generator registers the card
 * it expects to be updated before it clicks, and hears when the `chat.update` for it arrives.
 */
export class LeanSlackApi {
  /** Calls by method, and `chat.postEphemeral` (a stale click, which a benchmark should never cause). */
  readonly counts = new Map<string, number>();
  readonly #waiting = new Map<string, () => void>();
  #server: Server | undefined;
  #ts = 1_700_000_000;

  async start(): Promise<string> {
    const server = createServer(async (req, res) => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const body = await read(req);
      this.counts.set(method, (this.counts.get(method) ?? 0) + 1);
      const reply = this.#answer(method, body, req.headers['content-type']);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
    });
    server.keepAliveTimeout = 60_000;
    this.#server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/`;
  }

  async stop(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  /** Resolves true when the next `chat.update` of the message `ts` arrives, false after `timeoutMs`. */
  expectUpdate(ts: string, timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#waiting.delete(ts);
        resolve(false);
      }, timeoutMs);
      this.#waiting.set(ts, () => {
        clearTimeout(timer);
        this.#waiting.delete(ts);
        resolve(true);
      });
    });
  }

  #answer(method: string, body: string, type: string | undefined): Record<string, unknown> {
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://bench.slack.test/',
          team: 'Bench',
          user: 'fixpath',
          team_id: 'T0BENCH',
          user_id: 'UFIXPATH',
          bot_id: 'BFIXPATH',
        };
      case 'chat.update': {
        const ts = field(body, type, 'ts');
        if (ts) this.#waiting.get(ts)?.();
        return { ok: true, channel: field(body, type, 'channel'), ts };
      }
      case 'chat.postMessage':
        return { ok: true, channel: field(body, type, 'channel'), ts: `${this.#ts++}.000100` };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `${this.#ts++}.000100` };
      default:
        return { ok: true };
    }
  }
}

function field(body: string, type: string | undefined, name: string): string | undefined {
  if (type?.includes('json')) return (JSON.parse(body) as Record<string, string | undefined>)[name];
  return new URLSearchParams(body).get(name) ?? undefined;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}
