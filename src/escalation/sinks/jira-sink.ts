import type { DeliveryResult } from '../../stores/outbox-store.ts';
import { DeliveryError } from '../delivery-error.ts';
import { idempotencyKey, type TicketOutboxEntry } from '../outbox.ts';
import { renderTicketAdf } from '../render-ticket-adf.ts';
import type { EscalationSink, WriteLimits } from '../sink.ts';
import { type Fetch, readJson, sendHttp } from './send-http.ts';

export interface JiraSinkOptions {
  fetch: Fetch;
  /** The site, e.g. `https://acme.atlassian.net`. */
  baseUrl: string;
  /** The account the API token belongs to. */
  email: string;
  apiToken: string;
  /** The project tickets go to, e.g. `SUP`. */
  projectKey: string;
  /** The issue type's name in that project (default `Task`). */
  issueType?: string;
  /** Labels added to every issue besides `fixpath`, the guide's and the escalation's own. */
  labels?: readonly string[];
  timeoutMs?: number;
  now?: () => number;
  name?: string;
}

/**
 * Jira Cloud publishes no fixed write quota (it answers 429 with Retry-After past a cost budget),
 * so stay well under it: a write every 2 s at most, 20 a minute.
 */
export const JIRA_WRITE_LIMITS: WriteLimits = { perMinute: 20, minIntervalMs: 2_000 };

const SUMMARY_MAX = 255;

/**
 * Files tickets as Jira Cloud issues (REST API v3): the title as the summary, the ticket as an
 * Atlassian Document Format description, in the configured project and issue type. Each issue
 * carries a label naming its escalation (`fixpath-<conversation id>-<number>`), and before any
 * attempt after the first the sink looks it up with JQL, so an issue created by an attempt that was
 * cut short is found instead of filed again. Repeats become comments, found again by the same name.
 */
export class JiraSink implements EscalationSink {
  readonly name: string;
  readonly writeLimits = JIRA_WRITE_LIMITS;
  readonly #options: JiraSinkOptions;
  readonly #base: string;

  constructor(options: JiraSinkOptions) {
    if (!/^[A-Z][A-Z0-9_]+$/.test(options.projectKey)) {
      throw new TypeError(`a Jira project key is upper-case letters and digits, not "${options.projectKey}"`);
    }
    this.name = options.name ?? 'jira';
    this.#options = options;
    this.#base = options.baseUrl.replace(/\/+$/, '');
  }

  async deliver(entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const { ticket } = entry;
    const labels = ['fixpath', label(`fixpath-guide-${ticket.guide.id}`), escalationLabel(entry)];
    const response = await this.#send('POST', '/rest/api/3/issue', {
      fields: {
        project: { key: this.#options.projectKey },
        issuetype: { name: this.#options.issueType ?? 'Task' },
        summary: oneLine(ticket.title, SUMMARY_MAX),
        description: renderTicketAdf(ticket, { footer: footerOf(entry) }),
        labels: [...new Set([...labels, ...(this.#options.labels ?? []).map(label)])],
      },
    });
    return this.#issueResult(await readJson(response, this.name));
  }

  async comment(target: DeliveryResult, entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const key = issueKey(target, this.name);
    const { ticket } = entry;
    const document = renderTicketAdf(ticket, { footer: footerOf(entry) });
    const intro = {
      type: 'paragraph',
      content: [
        { type: 'text', text: 'Reported again', marks: [{ type: 'strong' }] },
        {
          type: 'text',
          text: ` (escalation #${ticket.escalationNumber} of conversation ${ticket.conversationId}): fixpath added it here instead of filing another issue.`,
        },
      ],
    };
    const response = await this.#send('POST', `/rest/api/3/issue/${encodeURIComponent(key)}/comment`, {
      body: { ...document, content: [intro, ...document.content] },
    });
    return this.#commentResult(await readJson(response, this.name), key);
  }

  async findExisting(entry: TicketOutboxEntry, target?: DeliveryResult): Promise<DeliveryResult | undefined> {
    if (target) {
      const key = issueKey(target, this.name);
      const response = await this.#send(
        'GET',
        `/rest/api/3/issue/${encodeURIComponent(key)}/comment?orderBy=-created&maxResults=100`,
      );
      const { comments } = ((await readJson(response, this.name)) ?? {}) as { comments?: unknown };
      const name = escalationLabel(entry);
      const found = Array.isArray(comments)
        ? comments.find((c: { body?: unknown }) => JSON.stringify(c.body ?? '').includes(name))
        : undefined;
      return found ? this.#commentResult(found, key) : undefined;
    }
    const jql = `project = "${this.#options.projectKey}" AND labels = "${escalationLabel(entry)}" ORDER BY created ASC`;
    const response = await this.#send('POST', '/rest/api/3/search/jql', {
      jql,
      fields: ['summary'],
      maxResults: 1,
    });
    const { issues } = ((await readJson(response, this.name)) ?? {}) as { issues?: unknown };
    const first = Array.isArray(issues) ? issues[0] : undefined;
    return first ? this.#issueResult(first) : undefined;
  }

  #send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const { fetch: http, email, apiToken, timeoutMs, now } = this.#options;
    const basic = Buffer.from(`${email}:${apiToken}`).toString('base64');
    return sendHttp(
      http,
      `${this.#base}${path}`,
      {
        method,
        headers: {
          accept: 'application/json',
          authorization: `Basic ${basic}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      },
      { sink: this.name, ...(timeoutMs ? { timeoutMs } : {}), ...(now ? { now } : {}) },
    );
  }

  #issueResult(issue: unknown): DeliveryResult {
    const { key, id } = (issue ?? {}) as { key?: unknown; id?: unknown };
    if (typeof key !== 'string')
      throw new DeliveryError('sink_unavailable', `${this.name}: the answer named no issue key`);
    return {
      externalId: key,
      url: `${this.#base}/browse/${encodeURIComponent(key)}`,
      label: key,
      details: { key, ...(typeof id === 'string' ? { id } : {}) },
    };
  }

  #commentResult(comment: unknown, key: string): DeliveryResult {
    const { id } = (comment ?? {}) as { id?: unknown };
    const commentId = typeof id === 'string' || typeof id === 'number' ? String(id) : undefined;
    return {
      externalId: commentId ?? key,
      url: `${this.#base}/browse/${encodeURIComponent(key)}${commentId ? `?focusedCommentId=${encodeURIComponent(commentId)}` : ''}`,
      label: key,
      details: { key, ...(commentId ? { commentId } : {}) },
    };
  }
}

/** The label naming one escalation: Jira labels allow no spaces, so only letters, digits, `-` and `_`. */
export function escalationLabel(entry: { conversationId: string; escalationNumber: number }): string {
  return label(`fixpath-${idempotencyKey(entry)}`);
}

function label(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 255);
}

function footerOf(entry: TicketOutboxEntry): string {
  return `Filed by fixpath · escalation ${escalationLabel(entry)}`;
}

function issueKey(target: DeliveryResult, sink: string): string {
  const key = target.details?.key ?? target.label ?? target.externalId;
  if (typeof key !== 'string' || !/^[A-Z][A-Z0-9_]+-\d+$/.test(key)) {
    throw new DeliveryError('sink_refused', `${sink}: the ticket to add to has no issue key`);
  }
  return key;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1).trimEnd()}…` : line;
}
