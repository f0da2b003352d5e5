import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from './loopback-server.ts';

export interface SlackCall {
  method: string;
  /** The arguments as the Web API client sent them, with JSON-encoded fields (blocks, view) decoded. */
  args: Record<string, unknown>;
  authorization: string | undefined;
  /** What the fake answered (for chat.postMessage, the new message's ts). */
  reply: Record<string, unknown>;
}

type Reply = { status?: number; headers?: Record<string, string>; body: Record<string, unknown> };

/**
 * Slack's Web API, faked on 127.0.0.1: the only part of Slack a test cannot run. It records every call
 * and answers like Slack does (ok, ts, channel), unless a test queues another answer for a method.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  readonly #queued = new Map<string, Reply[]>();
  #server: Server | undefined;
  /** Message timestamps count up from now, as Slack's do, so `oldest` filters behave. */
  #ts = Math.floor(Date.now() / 1000);

  async start(): Promise<string> {
    this.#server = createServer(async (req, res) => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0] ?? '';
      const args = decode(await body(req), req.headers['content-type']);
      const reply = this.#queued.get(method)?.shift() ?? { body: this.#answer(method, args) };
      this.calls.push({ method, args, authorization: req.headers.authorization, reply: reply.body });
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
    const url = await listenOnLoopback(this.#server);
    return `${url}/api/`;
  }

  async stop(): Promise<void> {
    await closeServer(this.#server);
  }

  /** Makes the next call of `method` answer with this instead (e.g. a 429 with Retry-After). */
  queue(method: string, reply: Reply): void {
    this.#queued.set(method, [...(this.#queued.get(method) ?? []), reply]);
  }

  of(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the calls that match once there are `count` of them. */
  async waitUntil(match: (call: SlackCall) => boolean, count = 1, timeoutMs = 10_000): Promise<SlackCall[]> {
    const started = Date.now();
    while (this.calls.filter(match).length < count) {
      if (Date.now() - started > timeoutMs) {
        throw new Error(`expected ${count} matching call(s), got ${this.calls.filter(match).length}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.calls.filter(match);
  }

  /** Resolves once `count` calls of `method` have arrived (the bot works after acknowledging). */
  async waitFor(method: string, count = 1, timeoutMs = 10_000): Promise<SlackCall[]> {
    const started = Date.now();
    while (this.of(method).length < count) {
      if (Date.now() - started > timeoutMs) {
        throw new Error(
          `expected ${count} ${method} call(s), got ${this.of(method).length}: ${this.calls.map((c) => c.method).join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return this.of(method);
  }

  /** The messages posted to a channel (history: top level; replies: one thread), newest first. */
  #messages(method: string, args: Record<string, unknown>) {
    const oldest = Number(args.oldest ?? 0);
    return this.of('chat.postMessage')
      .filter((c) => c.args.channel === args.channel && c.reply.ok === true)
      .filter((c) =>
        method === 'conversations.history'
          ? c.args.thread_ts === undefined
          : c.args.thread_ts === args.ts || c.reply.ts === args.ts,
      )
      .filter((c) => Number(c.reply.ts) >= oldest)
      .map((c) => ({
        type: 'message',
        ts: c.reply.ts,
        text: c.args.text,
        ...(c.args.thread_ts ? { thread_ts: c.args.thread_ts } : {}),
        ...(c.args.metadata && args.include_all_metadata ? { metadata: c.args.metadata } : {}),
      }))
      .reverse();
  }

  #answer(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const ts = () => `${this.#ts++}.000100`;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://acme.slack.test/',
          team: 'Acme',
          user: 'fixpath',
          team_id: 'T0ACME',
          user_id: 'UFIXPATH',
          bot_id: 'BFIXPATH',
        };
      case 'chat.postMessage':
        return { ok: true, channel: args.channel, ts: ts(), message: { text: args.text } };
      case 'chat.update':
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      case 'conversations.history':
      case 'conversations.replies':
        return { ok: true, messages: this.#messages(method, args), has_more: false };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts() };
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: args.channel,
          permalink: `https://acme.slack.test/archives/${String(args.channel)}/p${String(args.message_ts).replace('.', '')}`,
        };
      case 'views.open':
      case 'views.publish':
      case 'views.update':
        return { ok: true, view: { id: 'V0001', ...(args.view as object) } };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }
}

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function decode(raw: string, type: string | undefined): Record<string, unknown> {
  if (raw === '') return {};
  const fields: Record<string, unknown> = type?.includes('json')
    ? JSON.parse(raw)
    : Object.fromEntries(new URLSearchParams(raw));
  for (const key of ['blocks', 'view', 'attachments', 'metadata']) {
    if (typeof fields[key] === 'string') fields[key] = JSON.parse(fields[key] as string);
  }
  return fields;
}
