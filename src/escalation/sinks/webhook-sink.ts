import type { DeliveryResult } from '../../stores/outbox-store.ts';
import { idempotencyKey, type TicketOutboxEntry } from '../outbox.ts';
import type { EscalationSink } from '../sink.ts';
import { type Fetch, sendHttp } from './send-http.ts';
import { SIGNATURE_HEADER, signWebhook } from './sign-webhook.ts';

export interface WebhookSinkOptions {
  fetch: Fetch;
  /** Where tickets are POSTed. */
  url: string;
  /** Shared with the receiver, which checks the signature with it. */
  secret: string;
  timeoutMs?: number;
  now?: () => number;
  name?: string;
}

/** What a receiver may answer with (all optional): the ticket's id, link and name in its own system. */
interface ReceiverAnswer {
  id?: unknown;
  url?: unknown;
  label?: unknown;
}

/**
 * POSTs each ticket as JSON to a URL, signed (`X-Fixpath-Signature`, HMAC-SHA256 over the time and
 * the raw body) and carrying `Idempotency-Key: <conversation id>:<escalation number>`, the same on
 * every attempt, by which the receiver drops repeats. An escalation that repeats an open one is sent
 * as `escalation.linked`, naming the ticket it repeats. See docs/webhooks.md.
 */
export class WebhookSink implements EscalationSink {
  readonly name: string;
  readonly #options: WebhookSinkOptions;

  constructor(options: WebhookSinkOptions) {
    if (!/^https?:\/\//.test(options.url))
      throw new TypeError(`a webhook URL is http(s), not "${options.url}"`);
    if (options.secret.length < 16) throw new TypeError('a webhook secret has at least 16 characters');
    this.name = options.name ?? 'webhook';
    this.#options = options;
  }

  async deliver(entry: TicketOutboxEntry): Promise<DeliveryResult> {
    return this.#post('escalation.filed', entry, {});
  }

  async comment(target: DeliveryResult, entry: TicketOutboxEntry): Promise<DeliveryResult> {
    const { externalId, url, label } = target;
    return this.#post('escalation.linked', entry, { linkedTo: { externalId, url, label } });
  }

  async #post(type: string, entry: TicketOutboxEntry, extra: object): Promise<DeliveryResult> {
    const { fetch: http, secret, timeoutMs, now = Date.now } = this.#options;
    const key = idempotencyKey(entry);
    const body = JSON.stringify({ type, idempotencyKey: key, ...extra, ticket: entry.ticket });
    const response = await sendHttp(
      http,
      this.#options.url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'fixpath',
          'idempotency-key': key,
          'x-fixpath-event': type,
          [SIGNATURE_HEADER]: signWebhook(secret, body, now() / 1000),
        },
        body,
      },
      { sink: this.name, ...(timeoutMs ? { timeoutMs } : {}), now },
    );
    const answer = await readAnswer(response);
    const id = typeof answer.id === 'string' || typeof answer.id === 'number' ? String(answer.id) : undefined;
    const label = typeof answer.label === 'string' ? answer.label : id;
    return {
      externalId: id ?? key,
      ...(typeof answer.url === 'string' && /^https?:\/\//.test(answer.url) ? { url: answer.url } : {}),
      ...(label ? { label } : {}),
      details: { status: response.status },
    };
  }
}

/** The receiver's JSON answer, or nothing when it sent none. */
async function readAnswer(response: Response): Promise<ReceiverAnswer> {
  if (!(response.headers.get('content-type') ?? '').includes('json')) return {};
  try {
    const answer = (await response.json()) as unknown;
    return answer && typeof answer === 'object' ? (answer as ReceiverAnswer) : {};
  } catch {
    return {};
  }
}
