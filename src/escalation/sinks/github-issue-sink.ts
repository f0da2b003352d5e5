import type { DeliveryResult } from '../../stores/outbox-store.ts';
import { DeliveryError } from '../delivery-error.ts';
import { idempotencyKey, type TicketOutboxEntry } from '../outbox.ts';
import type { EscalationSink, WriteLimits } from '../sink.ts';
import { type Fetch, readJson, sendHttp } from './send-http.ts';

export interface GitHubIssueSinkOptions {
  fetch: Fetch;
  /** A token that may create issues in the repository (fine-grained: Issues read and write). */
  token: string;
  /** `owner/repo`. */
  repository: string;
  /** The REST API root (default `https://api.github.com`; GitHub Enterprise: `https://host/api/v3`). */
  apiUrl?: string;
  /** Labels added to every issue besides the guide id and severity. */
  labels?: readonly string[];
  timeoutMs?: number;
  now?: () => number;
  name?: string;
}

/** GitHub's limits on content creation: 80 a minute, 500 an hour, writes at least a second apart. */
export const GITHUB_WRITE_LIMITS: WriteLimits = { perMinute: 80, perHour: 500, minIntervalMs: 1_000 };

const TITLE_MAX = 256;
const BODY_MAX = 65_000;
/** How many pages of 100 recently updated issues or comments to look through for a marker. */
const PAGES = 5;
/** Look back this far before the entry was created, for clocks that disagree. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Files tickets as GitHub issues: the ticket's title, its Markdown as the body, and labels for the
 * guide and the severity. GitHub takes no idempotency key, so each body ends with a hidden marker
 * naming the escalation, and before any attempt after the first the sink looks for an issue (or, for
 * a repeat, a comment) carrying it among those updated since the entry was created. It lists issues
 * rather than using the search API, whose index lags by minutes and which allows 30 requests a minute.
 */
export class GitHubIssueSink implements EscalationSink {
  readonly name: string;
  readonly writeLimits = GITHUB_WRITE_LIMITS;
  readonly #options: GitHubIssueSinkOptions;
  readonly #repo: string;
  readonly #api: string;

  constructor(options: GitHubIssueSinkOptions) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(options.repository)) {
      throw new TypeError(`a GitHub repository is owner/name, not "${options.repository}"`);
    }
    this.name = options.name ?? 'github';
    this.#options = options;
    this.#api = (options.apiUrl ?? 'https://api.github.com').replace(/\/+$/, '');
    this.#repo = `${this.#api}/repos/${options.repository}`;
  }

  async deliver(entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const { ticket } = entry;
    const labels = [ticket.guide.id, `severity:${ticket.severity}`, ...(this.#options.labels ?? [])];
    const response = await this.#send('POST', `${this.#repo}/issues`, {
      title: oneLine(ticket.title, TITLE_MAX),
      body: withMarker(ticket.markdown, entry),
      labels: [...new Set(labels.map((label) => label.slice(0, 50)))],
    });
    return this.#issueResult(await readJson(response, this.name));
  }

  async comment(target: DeliveryResult, entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const number = issueNumber(target, this.name);
    const { ticket } = entry;
    const intro = `**Reported again** (escalation #${ticket.escalationNumber} of conversation \`${ticket.conversationId}\`): fixpath added it here instead of opening another issue.\n\n`;
    const response = await this.#send('POST', `${this.#repo}/issues/${number}/comments`, {
      body: withMarker(intro + ticket.markdown.replace(/^## /m, '### '), entry),
    });
    return this.#commentResult(await readJson(response, this.name), target, number);
  }

  async findExisting(entry: TicketOutboxEntry, target?: DeliveryResult): Promise<DeliveryResult | undefined> {
    const marker = markerOf(entry);
    const since = new Date(entry.createdAt - CLOCK_SKEW_MS).toISOString();
    const number = target ? issueNumber(target, this.name) : undefined;
    for (let page = 1; page <= PAGES; page++) {
      const query = new URLSearchParams({ since, per_page: '100', page: String(page) });
      const url =
        number === undefined
          ? `${this.#repo}/issues?${query}&state=all&sort=created&direction=desc`
          : `${this.#repo}/issues/${number}/comments?${query}`;
      const items = await readJson(await this.#send('GET', url), this.name);
      if (!Array.isArray(items))
        throw new DeliveryError('sink_unavailable', `${this.name}: the list was not a list`);
      const found = items.find(
        (item: { body?: unknown; pull_request?: unknown }) =>
          typeof item.body === 'string' && item.body.includes(marker) && item.pull_request === undefined,
      );
      if (found) return target ? this.#commentResult(found, target, number ?? 0) : this.#issueResult(found);
      if (items.length < 100) return undefined;
    }
    return undefined;
  }

  #send(method: 'GET' | 'POST', url: string, body?: unknown): Promise<Response> {
    const { fetch: http, token, timeoutMs, now } = this.#options;
    return sendHttp(
      http,
      url,
      {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'user-agent': 'fixpath',
          'x-github-api-version': '2022-11-28',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      { sink: this.name, ...(timeoutMs ? { timeoutMs } : {}), ...(now ? { now } : {}) },
    );
  }

  #issueResult(issue: unknown): DeliveryResult {
    const { number, html_url: url } = (issue ?? {}) as { number?: unknown; html_url?: unknown };
    if (typeof number !== 'number') {
      throw new DeliveryError('sink_unavailable', `${this.name}: the answer named no issue number`);
    }
    return {
      externalId: String(number),
      ...(typeof url === 'string' ? { url } : {}),
      label: `${this.#options.repository}#${number}`,
      details: { number, repository: this.#options.repository },
    };
  }

  #commentResult(comment: unknown, target: DeliveryResult, number: number): DeliveryResult {
    const { id, html_url: url } = (comment ?? {}) as { id?: unknown; html_url?: unknown };
    return {
      externalId: String(id),
      ...(typeof url === 'string' ? { url } : {}),
      label: target.label ?? `${this.#options.repository}#${number}`,
      details: {
        number,
        repository: this.#options.repository,
        ...(typeof id === 'number' ? { commentId: id } : {}),
      },
    };
  }
}

/** The hidden line that names an escalation in an issue or comment body. */
export function markerOf(entry: { conversationId: string; escalationNumber: number }): string {
  return `<!-- fixpath-escalation: ${idempotencyKey(entry)} -->`;
}

function withMarker(markdown: string, entry: TicketOutboxEntry): string {
  const marker = markerOf(entry);
  const room = BODY_MAX - marker.length - 80;
  const body =
    markdown.length > room
      ? `${markdown.slice(0, room).trimEnd()}\n\n_The ticket was cut to fit GitHub's limit; the full text is in fixpath._`
      : markdown.trimEnd();
  return `${body}\n\n${marker}\n`;
}

function issueNumber(target: DeliveryResult, sink: string): number {
  const number = Number(target.details?.number ?? target.externalId);
  if (!Number.isInteger(number) || number <= 0) {
    throw new DeliveryError('sink_refused', `${sink}: the ticket to add to has no issue number`);
  }
  return number;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}
