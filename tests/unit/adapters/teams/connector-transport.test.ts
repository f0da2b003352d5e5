import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  type ConnectorHttpClient,
  conversationOf,
  createConnectorTransport,
} from '../../../../src/adapters/teams/connector-transport.ts';
import { TeamsRateLimiter } from '../../../../src/adapters/teams/teams-rate-limiter.ts';
import { connectorStatus, TeamsConnectorError } from '../../../../src/adapters/teams/to-teams-error.ts';
import { createLogger } from '../../../../src/logger.ts';

type ConnectorRequest = Parameters<ConnectorHttpClient['sendRequest']>[0];

const SERVICE = 'https://smba.trafficmanager.net/emea/';
const CONVERSATION = '19:d8a2f0c1b9e14c6f@thread.tacv2;messageid=1772441000001';
const URL_OF_SEND = `${SERVICE}v3/conversations/${encodeURIComponent(CONVERSATION)}/activities`;

/** The header collection botbuilder's pipeline hands the transport, reduced to a map. */
class Headers {
  readonly #map = new Map<string, { name: string; value: string }>();
  constructor(raw: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(raw)) this.set(name, value);
  }
  set(name: string, value: string | number) {
    this.#map.set(name.toLowerCase(), { name, value: String(value) });
  }
  get(name: string) {
    return this.#map.get(name.toLowerCase())?.value;
  }
  contains(name: string) {
    return this.#map.has(name.toLowerCase());
  }
  remove(name: string) {
    return this.#map.delete(name.toLowerCase());
  }
  rawHeaders() {
    return Object.fromEntries([...this.#map.values()].map((h) => [h.name, h.value]));
  }
  toJson() {
    return this.rawHeaders();
  }
  headersArray() {
    return [...this.#map.values()];
  }
  headerNames() {
    return [...this.#map.values()].map((h) => h.name);
  }
  headerValues() {
    return [...this.#map.values()].map((h) => h.value);
  }
  clone() {
    return new Headers(this.rawHeaders());
  }
}

function request(url = URL_OF_SEND): ConnectorRequest {
  return {
    url,
    method: 'POST',
    headers: new Headers({ 'content-type': 'application/json', authorization: 'Bearer t0ken' }),
    body: '{"type":"message","text":"hi"}',
    timeout: 0,
    withCredentials: false,
    requestId: 'req-1',
  } as unknown as ConnectorRequest;
}

/** A transport on a scripted fetch and a recorded sleep; the limiter and clock are real but idle. */
function transport(...answers: Array<Response | Error>) {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const waits: number[] = [];
  const logs: string[] = [];
  const client = createConnectorTransport({
    limiter: new TeamsRateLimiter(),
    logger: createLogger(
      { logLevel: 'warn' },
      new Writable({
        write(chunk, _e, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    ),
    random: () => 0,
    sleep: async (ms) => {
      if (ms > 0) waits.push(ms);
    },
    fetch: async (url, init) => {
      calls.push({ url: String(url), init: init ?? {} });
      const answer = answers[Math.min(calls.length - 1, answers.length - 1)];
      if (answer instanceof Error) throw answer;
      if (!answer) throw new Error('no answer scripted');
      return answer.clone();
    },
  });
  return { client, calls, waits, logs };
}

const created = () =>
  new Response('{"id":"1772442000001"}', { status: 201, headers: { 'content-type': 'application/json' } });

describe('the connector transport', () => {
  it('sends the request as botbuilder built it and hands back the answer in its shape', async () => {
    const t = transport(created());

    const answer = await t.client.sendRequest(request());

    expect(t.calls).toHaveLength(1);
    expect(t.calls[0]?.url).toBe(URL_OF_SEND);
    expect(t.calls[0]?.init).toMatchObject({
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer t0ken' },
      body: '{"type":"message","text":"hi"}',
    });
    expect(answer.status).toBe(201);
    expect(answer.bodyAsText).toBe('{"id":"1772442000001"}');
    expect(answer.headers.get('content-type')).toBe('application/json');
    expect(answer.headers.get('authorization')).toBeUndefined();
  });

  it('retries a 429 after its Retry-After, then returns the success', async () => {
    const t = transport(new Response('', { status: 429, headers: { 'retry-after': '2' } }), created());

    const answer = await t.client.sendRequest(request());

    expect(answer.status).toBe(201);
    expect(t.calls).toHaveLength(2);
    expect(t.waits).toEqual([2_000]);
    expect(t.logs.join('')).toContain('"status":429');
  });

  it('gives up on a gateway error that outlasts the retries, with the status on the error', async () => {
    const t = transport(new Response('bad gateway', { status: 502 }));

    const failure = await t.client.sendRequest(request()).catch((err: unknown) => err);

    expect(t.calls).toHaveLength(5);
    expect(failure).toBeInstanceOf(TeamsConnectorError);
    expect(connectorStatus(failure)).toBe(502);
  });

  it('fails at once on a refusal, with the start of its body for the logs', async () => {
    const t = transport(
      new Response('{"error":{"code":"MessageWritesBlocked"}}', {
        status: 403,
        headers: { 'content-type': 'application/json' },
      }),
    );

    const failure = await t.client.sendRequest(request()).catch((err: unknown) => err);

    expect(t.calls).toHaveLength(1);
    expect(connectorStatus(failure)).toBe(403);
    expect(String((failure as Error).message)).toContain('MessageWritesBlocked');
  });

  it('reports no answer at all as a connector error without a status, not retried', async () => {
    const t = transport(new TypeError('fetch failed'));

    const failure = await t.client.sendRequest(request()).catch((err: unknown) => err);

    expect(t.calls).toHaveLength(1);
    expect(failure).toBeInstanceOf(TeamsConnectorError);
    expect(connectorStatus(failure)).toBeUndefined();
  });

  it('paces calls per conversation: the eighth within a second waits for the limiter', async () => {
    const t = transport(created());

    for (let i = 0; i < 8; i++) await t.client.sendRequest(request());

    expect(t.waits).toHaveLength(1);
    expect(t.waits[0]).toBeGreaterThan(900);
  });
});

describe('the conversation a connector URL addresses', () => {
  it('is decoded, without the reply chain of a channel thread', () => {
    expect(conversationOf(URL_OF_SEND)).toBe('19:d8a2f0c1b9e14c6f@thread.tacv2');
    expect(conversationOf(`${SERVICE}v3/conversations/a%3A1xyz/activities/1772442000001`)).toBe('a:1xyz');
    expect(conversationOf(`${SERVICE}v3/attachments/abc`)).toBeUndefined();
  });
});
